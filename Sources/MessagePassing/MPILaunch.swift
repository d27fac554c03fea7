import Foundation

/// Whether an MPI launcher started this process, told from the environment alone: reading it
/// initialises nothing, so the plain binary never touches MPI.
public enum MPILaunch {
    /// Variables a launcher sets in every rank before the program starts: `mpirun` and `mpiexec`
    /// from Open MPI (`OMPI_COMM_WORLD_SIZE`), Slurm's `srun --mpi=pmix` (`PMIX_RANK`) and PMI-1/2
    /// launchers (`PMI_RANK`). Slurm's own `SLURM_PROCID` is not one: a batch script's single
    /// process carries it too.
    public static let variables = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"]

    /// True when one of ``variables`` is set.
    public static func isLaunched(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        variables.contains { environment[$0] != nil }
    }

    /// Ranks sharing this node, as the launcher announced it (1 when it did not): the default thread
    /// count of a rank is the node's cores divided by it, so ranks do not oversubscribe the node.
    public static func ranksOnThisNode(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        let names = ["OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS_PER_NODE"]
        return names.lazy.compactMap { environment[$0].flatMap(Int.init) }.first { $0 > 0 } ?? 1
    }
}
