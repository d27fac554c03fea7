import Testing
@testable import Tensors

@Test func matmulMatchesHandComputed() {
    let a = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
    let b = Tensor(shape: [2, 2], values: [5, 6, 7, 8])
    #expect(a.matmul(b).values == [19, 22, 43, 50])
}
