import Testing
@testable import Tensors

/// Direct nested-loop convolution used as the reference.
func referenceConvolution(
    _ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: (Int, Int), padding: (Int, Int)
) -> (values: [Float], shape: [Int]) {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, _, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    let ho = (h + 2 * padding.0 - kh) / stride.0 + 1, wo = (wd + 2 * padding.1 - kw) / stride.1 + 1
    var out = [Float](repeating: 0, count: n * o * ho * wo)
    let xv = x.values, wv = w.values
    for s in 0..<n { for oc in 0..<o { for oy in 0..<ho { for ox in 0..<wo {
        var acc = b?.values[oc] ?? 0
        for ic in 0..<c { for ky in 0..<kh { for kx in 0..<kw {
            let iy = oy * stride.0 - padding.0 + ky, ix = ox * stride.1 - padding.1 + kx
            guard iy >= 0 && iy < h && ix >= 0 && ix < wd else { continue }
            acc += xv[((s * c + ic) * h + iy) * wd + ix] * wv[((oc * c + ic) * kh + ky) * kw + kx]
        } } }
        out[((s * o + oc) * ho + oy) * wo + ox] = acc
    } } } }
    return (out, [n, o, ho, wo])
}

@Suite struct ConvolutionTests {
    @Test func conv2dHandComputed() {
        let x = Tensor(shape: [1, 1, 3, 3], values: (1...9).map(Float.init))
        let w = Tensor(shape: [1, 1, 2, 2], values: [1, 0, 0, 1])
        let b = Tensor(shape: [1], values: [0.5])
        #expect(conv2d(x, weight: w, bias: b).values == [6.5, 8.5, 12.5, 14.5])
        let strided = conv2d(x, weight: w, bias: b, stride: 2, padding: 1)
        #expect(strided.shape == [1, 1, 2, 2])
        #expect(strided.values == [1.5, 3.5, 7.5, 14.5])
    }

    @Test(arguments: [(1, 0), (2, 1), (1, 2), (3, 1)])
    func conv2dMatchesReference(stride: Int, padding: Int) {
        let x = uniformTensor([2, 3, 5, 6], seed: 141)
        let w = uniformTensor([4, 3, 2, 3], seed: 142)
        let b = uniformTensor([4], seed: 143)
        let expected = referenceConvolution(x, w, b, stride: (stride, stride), padding: (padding, padding))
        let actual = conv2d(x, weight: w, bias: b, stride: stride, padding: padding)
        #expect(actual.shape == expected.shape)
        expectClose(actual.values, expected.values)
    }

    @Test func pointwiseConv2dMatchesReference() {
        let x = uniformTensor([2, 3, 2, 2], seed: 144), w = uniformTensor([5, 3, 1, 1], seed: 145)
        expectClose(conv2d(x, weight: w, bias: nil).values, referenceConvolution(x, w, nil, stride: (1, 1), padding: (0, 0)).values)
    }

    @Test(arguments: [(1, 0), (2, 1), (1, 2)])
    func conv2dGradients(stride: Int, padding: Int) {
        let inputs = [uniformTensor([2, 2, 4, 5], seed: 146), uniformTensor([3, 2, 3, 2], seed: 147), uniformTensor([3], seed: 148)]
        expectGradientsMatch(inputs) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: stride, padding: padding) }
    }

    @Test func pointwiseConv2dGradientsWithoutBias() {
        expectGradientsMatch([uniformTensor([2, 3, 2, 3], seed: 149), uniformTensor([2, 3, 1, 1], seed: 150)]) {
            conv2d($0[0], weight: $0[1], bias: nil)
        }
    }

    @Test(arguments: [(1, 1, 0), (3, 1, 1), (4, 2, 2), (1, 2, 0)])
    func conv1dMatchesReferenceAndGradients(kernel: Int, stride: Int, padding: Int) {
        let x = uniformTensor([2, 3, 7], seed: 151), w = uniformTensor([2, 3, kernel], seed: 152)
        let b = uniformTensor([2], seed: 153)
        let actual = conv1d(x, weight: w, bias: b, stride: stride, padding: padding)
        let expected = referenceConvolution(
            x.reshaped([2, 3, 1, 7]), w.reshaped([2, 3, 1, kernel]), b, stride: (1, stride), padding: (0, padding))
        #expect(actual.shape == [2, 2, expected.shape[3]])
        expectClose(actual.values, expected.values)
        expectGradientsMatch([x, w, b]) { conv1d($0[0], weight: $0[1], bias: $0[2], stride: stride, padding: padding) }
    }
}
