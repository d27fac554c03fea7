import Foundation
import Testing
@testable import Tensors

@Suite struct GLUTests {
    @Test func forwardValues() {
        // sigmoid(0) = 0.5 and sigmoid(log 3) = 0.75.
        let x = Tensor(shape: [1, 4], values: [1, 2, 0, Float(Foundation.log(3.0))])
        expectClose(x.glu(axis: 1).values, [0.5, 1.5])
        let columns = Tensor(shape: [2, 1], values: [3, 0])
        expectClose(columns.glu(axis: 0).values, [1.5])
    }

    @Test(arguments: [0, 1, 2])
    func gradients(axis: Int) {
        expectGradientsMatch([uniformTensor([2, 4, 2], seed: 123, low: -2, high: 2)]) { $0[0].glu(axis: axis) }
    }
}
