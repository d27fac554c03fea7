import BMNAS
import FusionNAS
import Layers
import TestSupport
import Testing
import Tensors

@Suite struct FusionNASSupernetTests {
    @Test func forwardShapeAndParameterGroups() throws {
        var rng = SeededGenerator(seed: 0)
        let supernet = try FusionNASSearchSpace().makeSupernet(tinyConfiguration(), registry: bmnasRegistry(), rng: &rng)
        let out = supernet(tinyInputs())
        #expect(out.shape == [3, 8, 3])
        #expect(supernet.outputChannels == 8)
        // alpha (2, 3), (2, 4); beta (2, 2) x2; gamma (5) x2
        #expect(supernet.architectureParameters.map(\.shape) == [[2, 3], [2, 4], [2, 2], [2, 2], [5], [5]])
        let arch = Set(supernet.architectureParameters.map(ObjectIdentifier.init))
        #expect(supernet.weightParameters.allSatisfy { !arch.contains(ObjectIdentifier($0)) })
        #expect(supernet.weightParameters.count + arch.count == supernet.parameters().count)
        // Primitives inside steps are discovered by reflection with stable dotted names.
        let names = supernet.namedParameters().map(\.name)
        #expect(names.contains("cells.0.steps.0.primitives.3.conv.weight"))
        #expect(names.contains("architecture.gammas.1"))
    }

    @Test func aMixtureOfZeroPrimitivesAloneIsRefused() throws {
        var rng = SeededGenerator(seed: 0)
        #expect {
            _ = try FusionNASSearchSpace().makeSupernet(tinyConfiguration(primitives: ["zero"]), registry: bmnasRegistry(), rng: &rng)
        } throws: { "\($0)".contains("every primitive in [zero] is a zero primitive") }
    }

    @Test func gradientsWithRespectToArchitectureAndWeights() throws {
        var rng = SeededGenerator(seed: 2)
        let supernet = try FusionNASSearchSpace().makeSupernet(
            tinyConfiguration(cells: 2, steps: 2), registry: bmnasRegistry(), rng: &rng)
        let inputs = tinyInputs()
        // Architecture parameters drawn larger than BM-NAS's 1e-3 so the mixtures are not uniform.
        for a in supernet.architectureParameters { a.assign(Tensor.randn(a.shape, rng: &rng)) }
        let checked = supernet.parameters()
        #expect(checked.count == supernet.architectureParameters.count + supernet.weightParameters.count)
        // Every parameter tensor (a few elements each). ReLUs after batch norm over a batch of three
        // always have pre-activations near a kink, so the error a kink inside the step explains is
        // allowed. The step is 1e-3: at 1e-4 the quotient's Float32 rounding (about 1e-2) was as large
        // as many gradients, and at 1e-2 several kinks fell inside one step.
        let result = GradientCheck.run(inputs: checked, epsilon: 1e-3, maxElementsPerInput: 4, toleratesKinks: true) { _ in
            supernet(inputs)
        }
        #expect(result.passed, "\(result)")
    }

    @Test func derivationKeepsStrongestChoicesAndDistinctCellInputs() throws {
        var rng = SeededGenerator(seed: 3)
        let supernet = try FusionNASSearchSpace().makeSupernet(tinyConfiguration(), registry: bmnasRegistry(), rng: &rng)
        let arch = supernet.architectureParameters
        // Cell 0 prefers inputs (0, 2); cell 1 prefers the same pair, so it must take its next best.
        arch[0].assign(Tensor(shape: [2, 3], values: [5, 0, 0, 0, 0, 5]))
        arch[1].assign(Tensor(shape: [2, 4], values: [5, 0, 0, 1, 0, 0, 5, 0]))
        // Step of cell 0: Zero strongest, then linear_glu; step inputs (1, 0).
        arch[2].assign(Tensor(shape: [2, 2], values: [0, 3, 3, 0]))
        arch[4].assign(Tensor(shape: [5], values: [9, 0, 0, 4, 1]))
        let genotype = supernet.deriveGenotype()
        #expect(genotype.cells[0].inputs == [0, 2])
        #expect(Set(genotype.cells[1].inputs) != Set([0, 2]))
        #expect(genotype.cells[1].inputs == [3, 2])
        #expect(genotype.cells[0].steps[0].primitive == "linear_glu")
        #expect(genotype.cells[0].steps[0].inputs == [1, 0])
        #expect(genotype.inputs == ["a.0", "a.1", "b.0"])
    }

    @Test func sameSeedGivesSameSupernet() throws {
        var rng1 = SeededGenerator(seed: 9), rng2 = SeededGenerator(seed: 9)
        let s1 = try FusionNASSearchSpace().makeSupernet(tinyConfiguration(), registry: bmnasRegistry(), rng: &rng1)
        let s2 = try FusionNASSearchSpace().makeSupernet(tinyConfiguration(), registry: bmnasRegistry(), rng: &rng2)
        #expect(s1(tinyInputs()).values == s2(tinyInputs()).values)
    }

    @Test func unknownPrimitiveIsNamed() throws {
        var rng = SeededGenerator(seed: 0)
        #expect {
            _ = try FusionNASSearchSpace().makeSupernet(
                tinyConfiguration(primitives: ["sum", "warp_drive"]), registry: bmnasRegistry(), rng: &rng)
        } throws: { error in
            "\(error)".contains("unknown primitive 'warp_drive'") && "\(error)".contains("concat_fc")
        }
    }
}
