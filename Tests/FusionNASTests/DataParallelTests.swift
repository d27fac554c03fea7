import Contrastive
import Foundation
import FusionNAS
import Layers
import MessagePassing
import Tensors
import Testing

/// The pieces of a data-parallel step with ranks played by threads of this process: rows gathered
/// with their gradient (open_clip's gather_with_grad), so the contrastive loss on K ranks' rows and
/// the rank-averaged gradients equal one process's on the concatenated batch; fixed-order
/// reductions; synchronised BatchNorm. The same over real MPI ranks, with a whole search, is
/// `mpirun -np 2 fusion-nas mpi-check --search-epochs 2` (CommandTests/MPITests).
@Suite struct DataParallelTests {
    @Test(arguments: [2, 3]) func ntXentOnGatheredRowsEqualsOneProcess(ranks: Int) throws {
        try compare("ntxent", ranks: ranks, rowsPerRank: 3)
    }

    @Test func clipOnGatheredRowsEqualsOneProcessIncludingTheLogitScale() throws {
        try compare("clip", ranks: 2, rowsPerRank: 4)
    }

    @Test func ranksMayHoldDifferentRowCounts() {
        let group = ThreadGroup(size: 2)
        let shards = [Tensor(shape: [1, 2], values: [1, 2]), Tensor(shape: [2, 2], values: [3, 4, 5, 6])]
        let gathered = group.run { member in shards[member.rank].gatheredRows(over: member).values }
        #expect(gathered == [[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]])
    }

    @Test func allReduceSumAddsInRankOrderOnEveryRank() {
        // In Float, (1e8 + -1e8) + 1 is 1 but 1e8 + (-1e8 + 1) is 0: the order decides the bits.
        let values: [Float] = [1e8, -1e8, 1]
        let sums = ThreadGroup(size: 3).run { member -> [Float] in
            var mine = [values[member.rank]]
            mine.withUnsafeMutableBufferPointer { member.allReduceSum($0) }
            return mine
        }
        #expect(sums == [[1], [1], [1]])
    }

    @Test func averagedGradientsAreTheMeanOverRanksAndCountMissingOnesAsZero() {
        let grads = ThreadGroup(size: 2).run { member -> [[Float]] in
            let a = Tensor.zeros([2]).requiringGrad(), b = Tensor.zeros([1]).requiringGrad()
            a.grad = Tensor(shape: [2], values: member.rank == 0 ? [1, 2] : [3, 6])
            if member.rank == 1 { b.grad = Tensor(shape: [1], values: [4]) }
            member.averageGradients(of: [a, b])
            return [a.grad?.values ?? [], b.grad?.values ?? []]
        }
        #expect(grads == [[[2, 4], [2]], [[2, 4], [2]]])
    }

    @Test func synchronisedBatchNormEqualsOneProcessOnTheWholeBatch() {
        var rng = SeededGenerator(seed: 3)
        let input = Tensor.randn([5, 3, 2], rng: &rng), upstream = Tensor.randn([5, 3, 2], rng: &rng)
        // Output, input gradient, weight gradient (averaged over the ranks) and running mean.
        func normalise(_ rows: Range<Int>, over group: (any Communicator)?) -> [[Float]] {
            let norm = BatchNorm1d(3)
            norm.statisticsGroup = group
            let x = input.detached().slice(axis: 0, start: rows.lowerBound, end: rows.upperBound).requiringGrad()
            let y = norm(x)
            (y * upstream.slice(axis: 0, start: rows.lowerBound, end: rows.upperBound)).sum().backward()
            group?.averageGradients(of: [norm.weight])
            return [y.values, x.grad?.values ?? [], norm.weight.grad?.values ?? [], norm.runningMean.values]
        }
        let single = normalise(0..<5, over: nil)
        let ranks = ThreadGroup(size: 2).run { member in normalise(member.share(of: 5), over: member) }
        let joined = (0..<2).map { i in ranks[0][i] + ranks[1][i] }
        // Each rank's loss here covers its own rows, so the one-process loss is their sum and the
        // averaged weight gradient is half of its gradient. (Under a gathered contrastive loss every
        // rank's loss is the whole one, and the mean is exact: see the search check of mpi-check.)
        let expectations = [
            (joined[0], single[0]), (joined[1], single[1]), (ranks[0][2], single[2].map { $0 / 2 }), (ranks[1][3], single[3]),
        ]
        for (got, expected) in expectations {
            let difference = zip(got, expected).map { Swift.abs($0 - $1) }.max() ?? .infinity
            #expect(got.count == expected.count && difference < 1e-5, "\(got) against \(expected)")
        }
    }

    @Test func launchIsToldFromTheEnvironmentAlone() {
        #expect(!MPILaunch.isLaunched(environment: ["SLURM_PROCID": "0", "PATH": "/bin"]))
        #expect(MPILaunch.isLaunched(environment: ["OMPI_COMM_WORLD_SIZE": "2"]))
        #expect(MPILaunch.isLaunched(environment: ["PMIX_RANK": "1"]))
        #expect(MPILaunch.ranksOnThisNode(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "4"]) == 4)
        #expect(MPILaunch.ranksOnThisNode(environment: [:]) == 1)
    }

    /// Loss and rank-averaged gradients of a projection W (before the gather) and of CLIP's logit
    /// scale (after it), K ranks against one process.
    func compare(_ objective: String, ranks: Int, rowsPerRank: Int) throws {
        let batch = rowsPerRank * ranks
        let single = try step(objective, over: SingleProcess(), rows: 0..<batch, batch: batch)
        let distributed = ThreadGroup(size: ranks).run { member in
            try! step(objective, over: member, rows: member.rank * rowsPerRank..<(member.rank + 1) * rowsPerRank, batch: batch)
        }
        for figures in distributed {
            #expect(figures[0] == single[0], "the loss is computed on the same gathered rows")
            for (got, expected) in zip(figures.dropFirst(), single.dropFirst()) {
                let scale = expected.map { Swift.abs($0) }.max() ?? 1
                let difference = zip(got, expected).map { Swift.abs($0 - $1) }.max() ?? 0
                #expect(difference <= 1e-5 * scale, "gradient differs by \(difference) (scale \(scale))")
            }
        }
    }

    /// [loss], W's gradient, then (CLIP) the logit scale's: gradients averaged over the ranks, as a
    /// data-parallel step would.
    func step(_ objective: String, over communicator: Communicator, rows: Range<Int>, batch: Int) throws -> [[Float]] {
        var rng = SeededGenerator(seed: 7)
        let views = (0..<2).map { _ in Tensor.randn([batch, 5], rng: &rng) }
        let projection = Tensor.randn([5, 4], std: 0.5, rng: &rng).requiringGrad()
        let embeddings = views.map {
            $0.slice(axis: 0, start: rows.lowerBound, end: rows.upperBound).matmul(projection).gatheredRows(over: communicator)
        }
        var parameters = [projection]
        let loss: Tensor
        if objective == "clip" {
            let clip = try CLIPInfoNCELoss()
            loss = try clip.loss(ObjectiveEmbeddings(views: embeddings))
            parameters.append(clip.logitScale)
        } else {
            loss = try NTXentLoss().loss(ObjectiveEmbeddings(views: embeddings))
        }
        loss.backward()
        communicator.averageGradients(of: parameters)
        return [[loss.item]] + parameters.map { $0.grad?.values ?? [] }
    }
}

/// Ranks played by threads of one process, exchanging through shared memory: each collective
/// waits until every member has contributed, as MPI's do.
final class ThreadGroup: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var slots: [[Float]?]
    private var arrived = 0
    private var generation = 0
    private var completed: [[Float]] = []

    init(size: Int) {
        self.size = size
        slots = Array(repeating: nil, count: size)
    }

    /// Runs `body` once per rank, each on its own thread, and returns the results in rank order.
    func run<T>(_ body: @escaping (Member) -> T) -> [T] {
        let results = ResultSlots<T>(count: size)
        // Each thread only reads what the test built before starting them.
        let work = UncheckedBox(body)
        let threads = (0..<size).map { rank in
            Thread { [self] in
                results.set(rank, work.value(Member(group: self, rank: rank)))
            }
        }
        threads.forEach { $0.stackSize = 8 << 20; $0.start() }
        return results.wait()
    }

    /// Every member's values once all have given theirs.
    func exchange(_ values: [Float], rank: Int) -> [[Float]] {
        condition.lock()
        defer { condition.unlock() }
        let mine = generation
        slots[rank] = values
        arrived += 1
        if arrived == size {
            // The next round cannot complete before every member has read this one: it needs them all.
            completed = slots.map { $0! }
            slots = Array(repeating: nil, count: size)
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == mine { condition.wait() }
        }
        return completed
    }

    final class Member: Communicator {
        let group: ThreadGroup
        let rank: Int
        var size: Int { group.size }
        init(group: ThreadGroup, rank: Int) { (self.group, self.rank) = (group, rank) }
        func allGather(_ values: UnsafeBufferPointer<Float>) -> (values: [Float], counts: [Int]) {
            let all = group.exchange(Array(values), rank: rank)
            return (all.flatMap { $0 }, all.map(\.count))
        }
    }

    struct UncheckedBox<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// Results written by the member threads, read once all are in.
    final class ResultSlots<T>: @unchecked Sendable {
        private let condition = NSCondition()
        private var values: [T?]
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: T) {
            condition.lock()
            values[index] = value
            condition.broadcast()
            condition.unlock()
        }
        func wait() -> [T] {
            condition.lock()
            defer { condition.unlock() }
            while values.contains(where: { $0 == nil }) { condition.wait() }
            return values.map { $0! }
        }
    }
}
