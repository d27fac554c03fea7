import Testing
@testable import Tensors

@Suite struct AutodiffTests {
    @Test func gradientsAccumulateOverRepeatedUse() {
        expectGradientsMatch([uniformTensor([2, 3], seed: 81)]) { t in
            let x = t[0]
            return x * x + x.exp() * x - x.sigmoid()
        }
        // d/dx of sum(x * x + x) is 2x + 1.
        let x = Tensor(shape: [3], values: [1, -2, 0.5]).requiringGrad()
        ((x * x).sum() + x.sum()).backward()
        #expect(x.grad?.values == [3, -3, 2])
    }

    @Test func gradientsAccumulateAcrossBackwardCalls() {
        let x = Tensor(shape: [2], values: [1, 2]).requiringGrad()
        (x * 3).sum().backward()
        (x * 2).sum().backward()
        #expect(x.grad?.values == [5, 5])
    }

    @Test func backwardFreesTheGraph() {
        let x = Tensor(shape: [2, 2], values: [1, 2, 3, 4]).requiringGrad()
        let hidden = x.tanh()
        let loss = (hidden * hidden).sum()
        #expect(!loss.isLeaf && !hidden.isLeaf)
        loss.backward()
        #expect(loss.isLeaf && hidden.isLeaf)
        #expect(!hidden.requiresGrad)
        #expect(hidden.grad == nil)
        #expect(x.grad?.shape == [2, 2])
    }

    @Test func withoutGradRecordsNothing() {
        let x = Tensor(shape: [3], values: [1, 2, 3]).requiringGrad()
        let y = withoutGrad { (x * x).exp().sum() }
        #expect(y.isLeaf)
        #expect(!y.requiresGrad)
        #expect(withoutGrad { GradMode.isEnabled } == false)
        #expect(GradMode.isEnabled)
        let recorded = (x * x).sum()
        #expect(!recorded.isLeaf && recorded.requiresGrad)
    }

    @Test func withoutGradDoesNotReachOtherTasks() async {
        let otherTask = withoutGrad { Task.detached { GradMode.isEnabled } }
        #expect(await otherTask.value)
    }

    @Test func opsOnConstantsRecordNothing() {
        let a = Tensor(shape: [2], values: [1, 2]), b = Tensor(shape: [2], values: [3, 4])
        let c = (a * b).softmax()
        #expect(c.isLeaf && !c.requiresGrad)
    }
}
