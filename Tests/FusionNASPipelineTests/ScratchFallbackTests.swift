import Contrastive
import FusionNAS
import FusionNASPipeline
import TestSupport
import Testing

/// The self-supervised pipeline reports the better of its fine-tuned network and the same genotype
/// trained from scratch on the same labels, judged on validation only.
@Suite struct ScratchFallbackTests {
    @Test func theReportedNetworkIsTheBetterOnValidation() throws {
        var c = smallPipelineConfiguration()
        c.labelFraction = 0.5
        // A linear probe on a one-epoch pretraining and full training from scratch differ clearly.
        c.fineTuning = .linearProbe
        let registry = try bmnasRegistry()
        try ContrastiveComponents.register(in: registry)

        let withFallback = FusionPipeline(configuration: c, registry: registry, data: try PreparedData.load(c))
        let reported = try withFallback.runSelfSupervised().result

        var off = c
        off.scratchFallback = false
        let fineTuned = try FusionPipeline(configuration: off, registry: registry, data: try PreparedData.load(off))
            .runSelfSupervised().result
        #expect(fineTuned.weights == nil)
        #expect(fineTuned.genotype == reported.genotype)

        let scratch = try withFallback.makeFreshNetwork(genotype: reported.genotype, stage: .selfSupervisedScratch)
        let threshold = try withFallback.fineTune(network: scratch, mode: .full, stage: .selfSupervisedScratch)
        let fromScratch = withFallback.evaluate(network: scratch, threshold: threshold, test: false).validation

        let scratchWins = fromScratch.value > fineTuned.validation.value
        #expect(reported.weights == (scratchWins ? "scratch" : "pretrained"))
        #expect(reported.validation.value == max(fromScratch.value, fineTuned.validation.value))
        #expect(reported.validation.value >= fineTuned.validation.value)
    }
}
