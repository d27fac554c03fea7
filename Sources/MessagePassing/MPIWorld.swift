import CMPI
import Foundation
import Tensors

/// `MPI_COMM_WORLD` of a process started by an MPI launcher.
///
/// MPI is initialised when ``shared`` is first read, never before: call it only when
/// ``MPILaunch/isLaunched(environment:)`` says a launcher started the process. Only the thread that
/// initialised MPI calls it (`MPI_THREAD_FUNNELED`); the worker pool's threads never do. Errors use
/// MPI's default handler, which ends the whole job with the library's message.
public final class MPIWorld: Communicator, @unchecked Sendable {
    /// The world of this process, initialising MPI on first use.
    public static let shared = MPIWorld()

    public let rank: Int
    public let size: Int
    private let communicator = fusionnas_mpi_comm_world()
    private var finalized = false

    private init() {
        var provided: Int32 = 0
        MPI_Init_thread(nil, nil, Int32(fusionnas_mpi_thread_funneled()), &provided)
        var rank: Int32 = 0, size: Int32 = 0
        MPI_Comm_rank(communicator, &rank)
        MPI_Comm_size(communicator, &size)
        self.rank = Int(rank)
        self.size = Int(size)
    }

    public func allGather(_ values: UnsafeBufferPointer<Float>) -> (values: [Float], counts: [Int]) {
        let counts = allGatherCounts(values.count)
        var displacements = [Int32](repeating: 0, count: size)
        for r in 1..<max(1, size) { displacements[r] = displacements[r - 1] + counts[r - 1] }
        var all = [Float](repeating: 0, count: counts.reduce(0) { $0 + Int($1) })
        all.withUnsafeMutableBufferPointer { out in
            _ = MPI_Allgatherv(
                values.baseAddress, Int32(values.count), fusionnas_mpi_float(), out.baseAddress, counts, displacements,
                fusionnas_mpi_float(), communicator)
        }
        return (all, counts.map(Int.init))
    }

    /// `bytes` of `root`, on every rank (the others' arguments are ignored).
    public func broadcast(_ bytes: [UInt8], from root: Int) -> [UInt8] {
        var count = Int32(bytes.count)
        MPI_Bcast(&count, 1, fusionnas_mpi_int(), Int32(root), communicator)
        var buffer = rank == root ? bytes : [UInt8](repeating: 0, count: Int(count))
        buffer.withUnsafeMutableBytes { _ = MPI_Bcast($0.baseAddress, count, fusionnas_mpi_byte(), Int32(root), communicator) }
        return buffer
    }

    /// Every rank's `bytes` in rank order on `root`; nil on the other ranks.
    public func gather(_ bytes: [UInt8], to root: Int) -> [[UInt8]]? {
        var count = Int32(bytes.count)
        var counts = [Int32](repeating: 0, count: size)
        MPI_Gather(&count, 1, fusionnas_mpi_int(), &counts, 1, fusionnas_mpi_int(), Int32(root), communicator)
        var displacements = [Int32](repeating: 0, count: size)
        for r in 1..<max(1, size) { displacements[r] = displacements[r - 1] + counts[r - 1] }
        var all = [UInt8](repeating: 0, count: rank == root ? Int(counts.reduce(0, +)) : 0)
        var mine = bytes
        mine.withUnsafeMutableBytes { source in
            all.withUnsafeMutableBytes { out in
                _ = MPI_Gatherv(
                    source.baseAddress, count, fusionnas_mpi_byte(), out.baseAddress, counts, displacements,
                    fusionnas_mpi_byte(), Int32(root), communicator)
            }
        }
        guard rank == root else { return nil }
        return (0..<size).map { r in Array(all[Int(displacements[r])..<Int(displacements[r] + counts[r])]) }
    }

    /// Waits until every rank has called it.
    public func barrier() { MPI_Barrier(communicator) }

    /// Ends MPI in this process; later calls do nothing. Every rank calls it before exiting, or the
    /// launcher reports the job as failed.
    public func finalize() {
        guard !finalized else { return }
        finalized = true
        MPI_Finalize()
    }

    private func allGatherCounts(_ count: Int) -> [Int32] {
        var mine = Int32(count)
        var counts = [Int32](repeating: 0, count: size)
        MPI_Allgather(&mine, 1, fusionnas_mpi_int(), &counts, 1, fusionnas_mpi_int(), communicator)
        return counts
    }
}
