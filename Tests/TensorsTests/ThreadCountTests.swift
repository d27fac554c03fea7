import Testing
@testable import Tensors

/// Every kernel that splits work between threads, at sizes above its split thresholds
/// (``Threading/parallelThreshold`` elements, ``GEMMSplit/minimumWork`` multiply-adds) and odd so
/// the chunks are ragged, gives the same bits at 1, 2 and 3 threads.
@Suite(.serialized) struct ThreadCountTests {
    static let threadCounts = [1, 2, 3]

    /// The bits of `compute()` at each thread count; the process's setting is restored after.
    func bitsAtEachThreadCount(_ compute: () -> [Float]) -> [[UInt32]] {
        let saved = Threading.threads
        defer { Threading.setThreads(saved) }
        return Self.threadCounts.map { threads in
            Threading.setThreads(threads)
            return compute().map(\.bitPattern)
        }
    }

    func expectSameBitsAtEveryThreadCount(
        _ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ compute: () -> [Float]
    ) {
        let runs = bitsAtEachThreadCount(compute)
        for (threads, bits) in zip(Self.threadCounts, runs).dropFirst() {
            let differing = zip(bits, runs[0]).filter { $0 != $1 }.count
            #expect(
                bits == runs[0], "\(what): \(differing) of \(bits.count) values differ at \(threads) threads from 1 thread",
                sourceLocation: sourceLocation)
        }
    }

    @Test func broadcastingOnBothOperandsAndItsGradients() {
        expectSameBitsAtEveryThreadCount("broadcast [3,7,6247] * [7,1]") {
            let a = uniformTensor([3, 7, 6247], seed: 1).requiringGrad()
            let b = uniformTensor([7, 1], seed: 2).requiringGrad()
            let y = a * b + b
            (y * y).sum().backward()
            return y.values + a.grad!.values + b.grad!.values
        }
    }

    /// 257x129x67 has ragged blocks; 1024x256x10 is the MLP benchmark's last weight gradient, whose
    /// blocks once fell under the SkylakeX and Cooperlake kernels' small-matrix path at 3 threads only.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)], [(257, 129, 67), (1024, 256, 10)])
    func matmulAboveTheSplitThreshold(transposes: (Bool, Bool), size: (Int, Int, Int)) {
        let (transposeSelf, transposeOther) = transposes
        let (m, k, n) = size
        expectSameBitsAtEveryThreadCount("matmul \(m)x\(k)x\(n) \(transposeSelf) \(transposeOther)") {
            let a = uniformTensor(transposeSelf ? [k, m] : [m, k], seed: 3).requiringGrad()
            let b = uniformTensor(transposeOther ? [n, k] : [k, n], seed: 4).requiringGrad()
            let y = a.matmul(b, transposeSelf: transposeSelf, transposeOther: transposeOther)
            (y * y).sum().backward()
            return y.values + a.grad!.values + b.grad!.values
        }
    }

    /// A batch of 5 small images (each sample's product too small to split, so the samples are
    /// spread over the threads, ragged at 2 and 3) and a batch of 2 larger ones (each product cut
    /// into blocks, one sample after another), with a 3x3 and a pointwise kernel.
    @Test(arguments: [([5, 3, 7, 9], 3), ([5, 3, 7, 9], 1), ([2, 8, 40, 40], 3)])
    func convolutionAndItsGradients(inputShape: [Int], kernel: Int) {
        expectSameBitsAtEveryThreadCount("conv2d \(inputShape) kernel \(kernel)") {
            let x = uniformTensor(inputShape, seed: 7).requiringGrad()
            let w = uniformTensor([64, inputShape[1], kernel, kernel], seed: 8).requiringGrad()
            let b = uniformTensor([64], seed: 9).requiringGrad()
            let y = conv2d(x, weight: w, bias: b, padding: kernel / 2)
            (y * y).sum().backward()
            return y.values + x.grad!.values + w.grad!.values + b.grad!.values
        }
    }

    @Test func dropoutMasks() {
        expectSameBitsAtEveryThreadCount("dropout on 200,003 elements") {
            var rng = SeededGenerator(seed: 5)
            return uniformTensor([200_003], seed: 6).dropout(0.3, training: true, rng: &rng).values
        }
    }

    @Test func lossSums() {
        expectSameBitsAtEveryThreadCount("losses over 200,003 elements") {
            let prediction = uniformTensor([200_003], seed: 7)
            let target = uniformTensor([200_003], seed: 8, low: 0, high: 1)
            return [
                meanSquaredError(prediction, target).item,
                binaryCrossEntropyWithLogits(logits: prediction, targets: target).item,
            ]
        }
    }

    @Test func lowRankFusionChannelSplit() {
        expectSameBitsAtEveryThreadCount("lowRankFusion (33, 67, 17), rank 3") {
            let inputs = [uniformTensor([33, 67, 17], seed: 9), uniformTensor([33, 67, 17], seed: 10)].map { $0.requiringGrad() }
            let weights = [uniformTensor([201, 67], seed: 11), uniformTensor([201, 67], seed: 12)].map { $0.requiringGrad() }
            let biases = [uniformTensor([201], seed: 13), uniformTensor([201], seed: 14)].map { $0.requiringGrad() }
            let y = lowRankFusion(inputs, weights: weights, biases: biases, rank: 3)
            (y * y).sum().backward()
            return y.values + (inputs + weights + biases).flatMap { $0.grad!.values }
        }
    }
}

@Suite(.serialized) struct WorkerPoolTests {
    @Test func everyIndexRunsExactlyOnceWhateverTheHelpers() {
        for helpers in [0, 1, 2, 5] {
            for count in [1, 2, 7, 1000] {
                let hits = UnsafeMutablePointer<Int>.allocate(capacity: count)
                hits.initialize(repeating: 0, count: count)
                defer { hits.deallocate() }
                let pointer = UncheckedSendable(hits)
                // Other suites may hold the pool for a moment; the pool refuses rather than waits.
                while !WorkerPool.shared.run(count: count, helpers: helpers, { pointer.value[$0] += 1 }) {}
                #expect((0..<count).allSatisfy { hits[$0] == 1 }, "helpers \(helpers), count \(count)")
            }
        }
    }

    /// A loop started from inside another runs on the calling thread instead of deadlocking.
    @Test func aNestedRunIsRefusedSoTheCallerRunsItItself() {
        var nestedRan: Bool?
        while !WorkerPool.shared.run(count: 1, helpers: 1, { _ in nestedRan = WorkerPool.shared.run(count: 2, helpers: 1) { _ in } }) {}
        #expect(nestedRan == false)
    }
}
