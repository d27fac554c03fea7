import Contrastive
import FusionNAS
import Layers
import Tensors

extension FusionPipeline {
    /// The ``communicator`` every pipeline made from now on starts with: set by `fusion-nas search`,
    /// `pretrain`, `finetune` and `run` under mpirun, whose pipelines are built deep in the commands.
    nonisolated(unsafe) public static var processCommunicator: (any Communicator)?

    /// Prepares a stage for ``communicator``'s ranks and returns the communicator that averages
    /// its gradients (nil for one process).
    ///
    /// Both objectives split each global batch over the ranks and gather what the loss needs
    /// (SelfSupervisedObjective+DataParallel, SupervisedObjective+DataParallel), and every BatchNorm
    /// of the network and the objective normalises with the global batch's statistics. An
    /// objective of another kind would be replicated: every rank computes the whole batch, so the
    /// averaged gradients equal each rank's own and the ranks stay in step.
    func splitsBatches(network: MultimodalNetwork, objective: TrainingObjective) -> (any Communicator)? {
        guard let communicator else { return nil }
        let splits: Bool
        switch objective {
        case let selfSupervised as SelfSupervisedObjective:
            selfSupervised.communicator = communicator
            splits = true
        case let supervised as SupervisedObjective:
            supervised.communicator = communicator
            splits = true
        default:
            splits = false
        }
        BatchNorm1d.synchroniseBatchStatistics(in: [network] + objective.modules, over: splits ? communicator : nil)
        return communicator
    }
}
