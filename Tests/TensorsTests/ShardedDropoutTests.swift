import Tensors
import Testing

/// Dropout of a rank's rows (``BatchShard``) draws the global batch's mask and keeps the rank's
/// rows of it: the shards' outputs and gradients, put together, are one process's, and every
/// rank's generator ends where one process's does. Sizes below and above ``randomBlockSize``,
/// whose masks come from per-block generators.
@Suite struct ShardedDropoutTests {
    @Test(arguments: [(rows: 5, rowSize: 6), (rows: 9, rowSize: 5_000)])
    func shardsOfTheGlobalMaskEqualOneProcess(rows: Int, rowSize: Int) {
        var rng = SeededGenerator(seed: 5)
        let x = Tensor.randn([rows, rowSize], rng: &rng)
        var single = SeededGenerator(seed: 9)
        let whole = x.detached().requiringGrad()
        let expected = whole.dropout(0.4, training: true, rng: &single)
        expected.sum().backward()
        for ranks in [2, 3] {
            var output: [Float] = [], gradient: [Float] = []
            for rank in 0..<ranks {
                let own = (rows * rank / ranks)..<(rows * (rank + 1) / ranks)
                var generator = SeededGenerator(seed: 9)
                let part = x.slice(axis: 0, start: own.lowerBound, end: own.upperBound).detached().requiringGrad()
                let y = part.dropout(0.4, shard: BatchShard(globalRows: rows, ownRows: [own]), rng: &generator)
                y.sum().backward()
                output += y.values
                gradient += part.grad?.values ?? []
                var after = single
                #expect(generator.next() == after.next(), "rank \(rank) of \(ranks): the generator advanced as one process's")
            }
            #expect(output == expected.values, "\(ranks) ranks")
            #expect(gradient == whole.grad?.values, "\(ranks) ranks")
        }
    }

    /// Two views stacked along the batch: a rank holds the same rows of each.
    @Test func stackedViewsKeepTheRowsOfEachView() {
        var rng = SeededGenerator(seed: 1)
        let x = Tensor.randn([8, 3], rng: &rng)
        var single = SeededGenerator(seed: 2)
        let expected = x.dropout(0.5, training: true, rng: &single).values
        let shard = BatchShard(globalRows: 8, ownRows: [1..<3, 5..<7])
        let own = Tensor.concat([x.slice(axis: 0, start: 1, end: 3), x.slice(axis: 0, start: 5, end: 7)], axis: 0)
        var generator = SeededGenerator(seed: 2)
        let y = own.dropout(0.5, shard: shard, rng: &generator).values
        #expect(y == Array(expected[3..<9] + expected[15..<21]))
    }

    @Test func aRanksShardIsCurrentOnlyInsideWithCurrent() {
        final class Member: Communicator {
            let rank: Int, size = 2
            init(rank: Int) { self.rank = rank }
            func allGather(_ values: UnsafeBufferPointer<Float>) -> (values: [Float], counts: [Int]) { fatalError("not used") }
        }
        let shard = Member(rank: 1).shard(ofBatch: 5, stackedViews: 2)
        #expect(shard == BatchShard(globalRows: 10, ownRows: [3..<5, 8..<10]))
        #expect(BatchShard.current == nil)
        #expect(shard.withCurrent { BatchShard.current } == shard)
    }
}
