import Foundation
import FusionNASPipeline
import MessagePassing

#if canImport(Glibc)
    import Glibc
#endif

/// `search`, `pretrain`, `finetune` and `run` under `mpirun -np K`: every rank runs the command
/// with ``FusionPipeline/processCommunicator`` set, so self-supervised stages split each global
/// batch over the ranks (Docs/distributed.md) and the others are replicated; the ranks stay in step
/// because they apply the same averaged gradients.
///
/// Rank 0 owns the run directory and writes everything in it. The other ranks run quietly in a
/// scratch run directory under the temporary directory (``RankScratch``), removed at the end, or
/// by the next data-parallel command when the rank was killed: a fresh one, or on `--resume` a
/// copy of the run taken before rank 0 continues, so every rank restores the same checkpoints.
/// Without a launcher, or with one rank, the command runs unchanged.
enum DataParallelLaunch {
    static func wrap(_ command: Command) -> Command {
        Command(
            name: command.name, summary: command.summary, discussion: command.discussion, options: command.options,
            positionals: command.positionals
        ) { given in
            guard MPILaunch.isLaunched() else { return try command.run(given) }
            let world = MPIWorld.shared
            defer { world.finalize() }
            guard world.size > 1 else { return try command.run(given) }
            FusionPipeline.processCommunicator = world
            defer { FusionPipeline.processCommunicator = nil }
            var options = given
            if options.optionalInt("threads") == nil {
                // As for the seeds of a sweep: the node's cores divided between the ranks placed on it.
                let threads = max(1, ProcessInfo.processInfo.activeProcessorCount / MPILaunch.ranksOnThisNode())
                options.set("threads", .int(threads), from: .commandLine)
            }
            if world.rank == 0 {
                // Rank 0 has no scratch, but earlier jobs may have placed other ranks on this node.
                RankScratch.removeOrphans(in: FileManager.default.temporaryDirectory)
                // The others copy a resumed run before this rank writes to it again.
                world.barrier()
                return try command.run(options)
            }
            let scratchFolder: RankScratch
            do { scratchFolder = try RankScratch(command: command.name, rank: world.rank) } catch {
                world.barrier()
                throw error
            }
            defer { scratchFolder.remove() }
            let scratch = scratchFolder.run
            do {
                if let resume = given.url("resume") {
                    try FileManager.default.copyItem(at: resume, to: scratch)
                    // A copy of a live run holds the copied lock file of rank 0's process.
                    try? FileManager.default.removeItem(at: scratch.appendingPathComponent(RunLock.fileName))
                    options.set("resume", .string(scratch.path), from: .commandLine)
                    if given.url("out") != nil { options.set("out", .string(scratch.path), from: .commandLine) }
                } else {
                    options.set("out", .string(scratch.path), from: .commandLine)
                }
            } catch {
                world.barrier()
                throw error
            }
            world.barrier()
            options.set("quiet", .flag(true), from: .commandLine)
            // Its summary is rank 0's; errors still reach standard error.
            fflush(nil)
            let savedOutput = dup(STDOUT_FILENO)
            let null = open("/dev/null", O_WRONLY)
            dup2(null, STDOUT_FILENO)
            close(null)
            defer {
                fflush(nil)
                dup2(savedOutput, STDOUT_FILENO)
                close(savedOutput)
            }
            try command.run(options)
        }
    }
}
