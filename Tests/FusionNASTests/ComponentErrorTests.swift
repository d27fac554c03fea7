import BMNAS
import Contrastive
import FusionNAS
import FusionNASPipeline
import TestSupport
import Testing
import Tensors

/// The errors a caller can act on carry a named ``ComponentError/Problem`` beside their message.
@Suite struct ComponentErrorTests {
    func problem(_ work: () throws -> Void) -> ComponentError.Problem? {
        do {
            try work()
            return nil
        } catch let error as ComponentError {
            return error.problem
        } catch {
            Issue.record("expected a ComponentError, got \(error)")
            return nil
        }
    }

    @Test func registryNamesUnknownAndDuplicateComponents() throws {
        let registry = try bmnasRegistry()
        #expect(problem { _ = try registry.primitive(named: "no_such") } == .unknownComponent(kind: .primitive, name: "no_such"))
        let again = problem { try BMNASComponents.register(in: registry) }
        guard case .duplicateComponent? = again else {
            Issue.record("registering the built-ins twice: \(String(describing: again))")
            return
        }
    }

    @Test func aMissingPluginIsRefusedByPath() {
        let path = "/no/such/plugin.so"
        #expect(problem { _ = try PluginLoader.load(path: path, into: ComponentRegistry()) } == .pluginRefused(path: path))
    }

    @Test func badObjectiveOptionsNameTheComponent() {
        #expect(problem { _ = try NTXentLoss(temperature: 0) } == .invalidOption(component: "ntxent"))
        #expect(problem { _ = try CLIPInfoNCELoss(temperature: 50) } == .invalidOption(component: "clip"))
    }

    @Test func aGenotypeOfAnotherShapeDoesNotFit() throws {
        var rng = SeededGenerator(seed: 1)
        let genotype = Genotype(
            searchSpace: "fusionnas", inputs: ["x.0", "y.0"],
            cells: [CellGenotype(inputs: [0, 1], steps: [StepGenotype(inputs: [0, 1], primitive: "sum")])])
        #expect(problem {
            _ = try FusionNASSearchSpace().makeNetwork(
                genotype: genotype, configuration: tinyConfiguration(), registry: try bmnasRegistry(), rng: &rng)
        } == .doesNotFit)
    }

    @Test func aNetworkLargerThanMemoryIsNamed() {
        var c = PipelineConfiguration()
        c.channels = 1 << 30
        #expect(problem { try MemoryBudget.requireNetworkFits(c) } == .insufficientMemory)
    }

    @Test func tooFewLabelsAreNamed() throws {
        var c = PipelineConfiguration()
        c.dataset = "synthetic-planted:20"
        c.labelFraction = 0.01
        let data = try PreparedData.load(c)
        #expect(problem { try LabelledCounts.require(data, configuration: c, for: .supervisedSearch) } == .tooFewSamples)
    }
}
