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
    /// Only a self-supervised objective splits its batch (see SelfSupervisedObjective+DataParallel):
    /// it then gathers the projections, and every BatchNorm of the network and the objective
    /// normalises with the global batch's statistics. A supervised stage is replicated: every rank
    /// computes the whole batch, so the averaged gradients equal each rank's own and the ranks stay
    /// in step. Docs/distributed.md says what remains to split it too.
    func splitsBatches(network: MultimodalNetwork, objective: TrainingObjective) -> (any Communicator)? {
        guard let communicator else { return nil }
        if let selfSupervised = objective as? SelfSupervisedObjective {
            selfSupervised.communicator = communicator
            BatchNorm1d.synchroniseBatchStatistics(in: [network] + selfSupervised.modules, over: communicator)
        } else {
            // A network pretrained split and now fine-tuned whole: every rank has the whole batch.
            BatchNorm1d.synchroniseBatchStatistics(in: [network], over: nil)
        }
        return communicator
    }
}
