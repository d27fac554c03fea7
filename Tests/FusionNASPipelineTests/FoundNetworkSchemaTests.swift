import BMNAS
import FusionNAS
import FusionNASPipeline
import TestSupport
import Testing
import Tensors

/// The pipeline builds a found network only from a genotype whose schema is its search space's:
/// BM-NAS would read three-input cells' local nodes as its own numbering.
@Suite struct FoundNetworkSchemaTests {
    @Test func aGenotypeWithAnotherSchemaIsRefusedBeforeTheSpaceReadsIt() throws {
        let c = smallPipelineConfiguration()
        let pipeline = FusionPipeline(configuration: c, registry: try bmnasRegistry(), data: try PreparedData.load(c))
        var rng = SeededGenerator(seed: 0)
        let encoders = try pipeline.makeEncoders(rng: &rng)
        let genotype = ReferenceGenotypes.lateFusion(pipeline.searchSpaceConfiguration(encoders: encoders))
        _ = try pipeline.makeFoundNetwork(genotype: genotype, encoders: encoders, rng: &rng)

        var otherSchema = genotype
        otherSchema.schema = GenotypeSchema(cellInputs: 3, stepInputs: 2)
        #expect {
            _ = try pipeline.makeFoundNetwork(genotype: otherSchema, encoders: encoders, rng: &rng)
        } throws: { error in
            (error as? ComponentError)?.problem == .doesNotFit && "\(error)".contains("3 inputs per cell")
        }
    }

    /// Only `fusionnas` builds the structure switches: a genotype of another space that has them, or
    /// switches configured for another space, are refused by the pipeline itself, so a plugin's
    /// space, which knows nothing of them, is never handed them.
    @Test func structureSwitchesOutsideFusionnasAreRefused() throws {
        var c = smallPipelineConfiguration()
        let pipeline = FusionPipeline(configuration: c, registry: try bmnasRegistry(), data: try PreparedData.load(c))
        var rng = SeededGenerator(seed: 0)
        let encoders = try pipeline.makeEncoders(rng: &rng)
        var genotype = ReferenceGenotypes.lateFusion(pipeline.searchSpaceConfiguration(encoders: encoders), searchSpace: "bmnas")
        _ = try pipeline.makeFoundNetwork(genotype: genotype, encoders: encoders, rng: &rng)
        genotype.structure = NetworkStructure(inputPooling: .maximum)
        #expect {
            _ = try pipeline.makeFoundNetwork(genotype: genotype, encoders: encoders, rng: &rng)
        } throws: { "\($0)".contains("which search space 'bmnas' does not build") }

        c.searchSpace = "bmnas"
        c.cellOutput = .reference
        let switched = FusionPipeline(configuration: c, registry: try bmnasRegistry(), data: try PreparedData.load(c))
        #expect {
            _ = try switched.makeSupernetwork(encoders: encoders, rng: &rng)
        } throws: { "\($0)".contains("switch the fusionnas space's structure") }
    }
}
