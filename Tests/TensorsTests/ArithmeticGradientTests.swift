import Testing
@testable import Tensors

@Suite struct ArithmeticGradientTests {
    @Test func addSameShapeAndBroadcast() {
        expectGradientsMatch([uniformTensor([2, 3], seed: 1), uniformTensor([2, 3], seed: 2)]) { $0[0] + $0[1] }
        expectGradientsMatch([uniformTensor([2, 3, 4], seed: 3), uniformTensor([3, 1], seed: 4)]) { $0[0] + $0[1] }
        expectGradientsMatch([uniformTensor([3, 1], seed: 5), uniformTensor([2, 3, 4], seed: 6)]) { $0[0] + $0[1] }
        expectGradientsMatch([uniformTensor([2, 3, 4], seed: 7), uniformTensor([4], seed: 8)]) { $0[0] + $0[1] }
        expectGradientsMatch([uniformTensor([2, 1, 4], seed: 9), uniformTensor([3, 1], seed: 10)]) { $0[0] + $0[1] }
    }

    @Test func addRankZeroOperand() {
        expectGradientsMatch([uniformTensor([2, 3], seed: 11), Tensor(0.7)]) { $0[0] + $0[1] }
        expectGradientsMatch([Tensor(0.7), uniformTensor([2, 3], seed: 12)]) { $0[0] + $0[1] }
    }

    @Test func subtractWithBroadcast() {
        expectGradientsMatch([uniformTensor([2, 3, 4], seed: 13), uniformTensor([3, 1], seed: 14)]) { $0[0] - $0[1] }
        expectGradientsMatch([uniformTensor([3, 1], seed: 15), uniformTensor([2, 3, 4], seed: 16)]) { $0[0] - $0[1] }
    }

    @Test func multiplyWithBroadcast() {
        expectGradientsMatch([uniformTensor([2, 3], seed: 17), uniformTensor([2, 3], seed: 18)]) { $0[0] * $0[1] }
        expectGradientsMatch([uniformTensor([2, 3, 4], seed: 19), uniformTensor([3, 1], seed: 20)]) { $0[0] * $0[1] }
        expectGradientsMatch([uniformTensor([1, 4], seed: 21), uniformTensor([2, 3, 4], seed: 22)]) { $0[0] * $0[1] }
    }

    @Test func divideWithBroadcast() {
        let denominators = { (shape: [Int], seed: UInt64) in uniformTensor(shape, seed: seed, low: 0.5, high: 2) }
        expectGradientsMatch([uniformTensor([2, 3], seed: 23), denominators([2, 3], 24)]) { $0[0] / $0[1] }
        expectGradientsMatch([uniformTensor([2, 3, 4], seed: 25), denominators([3, 1], 26)]) { $0[0] / $0[1] }
        expectGradientsMatch([uniformTensor([3, 1], seed: 27), denominators([2, 3, 4], 28)]) { $0[0] / $0[1] }
    }

    /// Both operands stretched at once (each along an axis the other has in full), in both orders,
    /// and a rank-0 operand on either side, for every binary op. Denominators stay in [0.5, 2).
    @Test(arguments: ["+", "-", "*", "/"])
    func everyBinaryOpBroadcastsBothOperands(op: String) {
        let apply: (Tensor, Tensor) -> Tensor = { a, b in
            switch op {
            case "+": a + b
            case "-": a - b
            case "*": a * b
            default: a / b
            }
        }
        let right = { (shape: [Int], seed: UInt64) in
            op == "/" ? uniformTensor(shape, seed: seed, low: 0.5, high: 2) : uniformTensor(shape, seed: seed)
        }
        let cases: [([Int], [Int])] = [([2, 1, 4], [3, 1]), ([3, 1], [2, 1, 4]), ([1, 3, 1], [2, 1, 4]), ([2, 3], []), ([], [2, 3])]
        for (index, (a, b)) in cases.enumerated() {
            let seed = 40 + 2 * UInt64(index)
            expectGradientsMatch([uniformTensor(a, seed: seed), right(b, seed + 1)]) { apply($0[0], $0[1]) }
        }
    }

    @Test func scalarForms() {
        let x = uniformTensor([2, 3], seed: 29)
        expectGradientsMatch([x]) { $0[0] + 2 }
        expectGradientsMatch([x]) { 2 + $0[0] }
        expectGradientsMatch([x]) { $0[0] - 2 }
        expectGradientsMatch([x]) { 2 - $0[0] }
        expectGradientsMatch([x]) { $0[0] * 3 }
        expectGradientsMatch([x]) { 3 * $0[0] }
        expectGradientsMatch([x]) { $0[0] / 4 }
        expectGradientsMatch([uniformTensor([2, 3], seed: 30, low: 0.5, high: 2)]) { 2 / $0[0] }
        expectGradientsMatch([x]) { $0[0].mapScalar(-1.5, 0.25) }
    }

    @Test func negate() {
        expectGradientsMatch([uniformTensor([2, 3], seed: 31)]) { -$0[0] }
    }

    @Test func forwardValuesWithBroadcast() {
        let a = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        let column = Tensor(shape: [2, 1], values: [10, 20])
        #expect((a + column).values == [11, 12, 23, 24])
        #expect((a - column).values == [-9, -8, -17, -16])
        #expect((a * Tensor(shape: [2], values: [2, 3])).values == [2, 6, 6, 12])
        #expect((a / Tensor(2)).values == [0.5, 1, 1.5, 2])
        #expect((1 - a).values == [0, -1, -2, -3])
    }
}
