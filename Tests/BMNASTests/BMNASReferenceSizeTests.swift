import BMNAS
import FusionNAS
import Layers
import TestSupport
import Testing
import Tensors

/// `--search-space bmnas` in BM-NAS's MM-IMDB configuration (main_darts_searchable_mmimdb.py:
/// C 192, L 16, 2 cells (`--steps 2 --multiplier 2`), 1 step (`--node_steps 1 --node_multiplier 1`),
/// six input nodes with `C_ins = [512, 512, 512, 512, 64, 128]`), against the sizes of the layers
/// BM-NAS's code defines, counted by hand below.
@Suite struct BMNASReferenceSizeTests {
    /// VGG levels as 2-D maps (14 x 14 down to 2 x 2, pooled to 4 x 4, or repeated up to it), the two
    /// text levels as vectors, as `Searchable_Image_Text_Net` feeds them.
    static let configuration = SearchSpaceConfiguration(
        inputNames: ["image.0", "image.1", "image.2", "image.3", "text.0", "text.1"],
        inputShapes: [
            FeatureLevelShape(channels: 512, length: 196, rows: 14), FeatureLevelShape(channels: 512, length: 49, rows: 7),
            FeatureLevelShape(channels: 512, length: 16, rows: 4), FeatureLevelShape(channels: 512, length: 4, rows: 2),
            FeatureLevelShape(channels: 64, length: 1), FeatureLevelShape(channels: 128, length: 1),
        ],
        channels: 192, length: 16, cells: 2, steps: 1, dropout: 0.1, primitives: BMNASComponents.referencePrimitives)

    static func inputs(batch: Int) -> [Tensor] {
        var rng = SeededGenerator(seed: 1)
        return configuration.inputShapes.map { Tensor.randn([batch, $0.channels, $0.length], rng: &rng) }
    }

    static func count(_ tensors: [Tensor]) -> Int { tensors.map(\.count).reduce(0, +) }

    // Per-layer counts (C = 192, L = 16), from the layer definitions in BM-NAS's code:
    // ReshapeInputLayer_MMIMDB (aux_models.py): Conv1d(C_in, C, 1) = C_in·C + C, BatchNorm1d(C) = 2C.
    static func reshaper(_ inChannels: Int) -> Int { inChannels * 192 + 192 + 2 * 192 }
    // node_operations.py: Sum 0; ScaledDotAttn LayerNorm([C, L]) = 2·C·L = 6,144;
    // LinearGLU Conv1d(2C, 2C, 1) = 384·384 + 384 = 147,840 and BatchNorm1d(2C) = 768: 148,608;
    // ConcatFC Conv1d(2C, C, 1) = 384·192 + 192 = 73,920 and BatchNorm1d(C) = 384: 74,304.
    static let sum = 0, attention = 6_144, linearGLU = 148_608, concatFC = 74_304
    // NodeCell's LayerNorm([C, L]) (no out_conv with node_multiplier 1): 6,144.
    static let cellNorm = 6_144

    @Test func supernetHasBMNASsShapesAndParameterCounts() throws {
        var rng = SeededGenerator(seed: 0)
        let supernet = try BMNASReferenceSearchSpace().makeSupernet(Self.configuration, registry: bmnasRegistry(), rng: &rng)
        let out = supernet(Self.inputs(batch: 3))
        // FusionCell concatenates the last `multiplier` = 2 cells: (B, 2C, L).
        #expect(out.shape == [3, 384, 16])
        // Reshapers: (4 · 512 + 64 + 128) · 192 + 6 · (192 + 384) = 430,080 + 3,456 = 433,536.
        let reshapers = [512, 512, 512, 512, 64, 128].map(Self.reshaper).reduce(0, +)
        #expect(reshapers == 433_536)
        // Each cell's step node: every step primitive plus NodeCell's LayerNorm:
        // 0 + 6,144 + 148,608 + 74,304 + 6,144 = 235,200; two cells 470,400. The {zero, identity}
        // edges have no weights.
        let cells = 2 * (Self.sum + Self.attention + Self.linearGLU + Self.concatFC + Self.cellNorm)
        #expect(cells == 470_400)
        #expect(Self.count(supernet.weightParameters) == reshapers + cells)
        // FusionCell's LayerNorm([2C, L]) = 2 · 384 · 16 = 12,288 is the head's norm here
        // (MultimodalNetwork); with it, BM-NAS's "Fusion Model Params" (reshape_layers + fusion_net):
        // 916,224.
        #expect(reshapers + cells + 12_288 == 916_224)
        // Architecture: alphas_edges (6 + 7, 2) = 26; per cell betas (2, 2) = 4 and gammas (1, 4) = 4:
        // 26 + 2 · 8 = 42.
        #expect(Self.count(supernet.architectureParameters) == 42)
        #expect(supernet.architectureParameters.map(\.shape) == [[6, 2], [7, 2], [2, 2], [2, 2], [1, 4], [1, 4]])
    }

    @Test func foundNetworkHasBMNASsShapesAndParameterCounts() throws {
        // ConcatFC(image.2, text.0) and LinearGLU(image.1, text.0): what "sample strategy v3" can derive.
        let genotype = Genotype(
            searchSpace: "bmnas", inputs: Self.configuration.inputNames,
            cells: [
                CellGenotype(inputs: [2, 4], steps: [StepGenotype(inputs: [0, 1], primitive: "concat_fc")]),
                CellGenotype(inputs: [1, 4], steps: [StepGenotype(inputs: [1, 0], primitive: "linear_glu")]),
            ])
        var rng = SeededGenerator(seed: 0)
        let network = try BMNASReferenceSearchSpace().makeNetwork(
            genotype: genotype, configuration: Self.configuration, registry: bmnasRegistry(), rng: &rng)
        #expect(network(Self.inputs(batch: 2)).shape == [2, 384, 16])
        // Only image.1, image.2 and text.0 are reshaped (create_reshape_layers): 2 · 98,880 + 12,864
        // = 210,624. Cells: 74,304 + 6,144 = 80,448 and 148,608 + 6,144 = 154,752.
        let reshapers = Self.reshaper(512) * 2 + Self.reshaper(64)
        #expect(reshapers == 210_624)
        #expect(Self.count(network.parameters()) == reshapers + 80_448 + 154_752)
        // With the head's LayerNorm (12,288) and Linear(2 · C · L, 23) = 6,144 · 23 + 23 = 141,335:
        // 599,447, the 0.6M that BM-NAS's paper reports for its MM-IMDB networks (0.65M).
        #expect(Self.count(network.parameters()) + 12_288 + 141_335 == 599_447)
    }
}
