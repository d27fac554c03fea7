/// How an input node's length is brought to L before the 1x1 conv.
public enum InputPooling: String, Sendable, Codable, CaseIterable {
    /// Adaptive average pooling of the flattened map to L, no dropout (`fusionnas`).
    case average
    /// BM-NAS's `ReshapeInputLayer_MMIMDB` (models/auxiliary/aux_models.py): adaptive max pooling of
    /// the 2-D map to √L x √L, then conv, BatchNorm, ReLU and dropout (`bmnas`).
    case maximum
}

/// How a cell's steps become the cell's output.
public enum CellOutput: String, Sendable, Codable, CaseIterable {
    /// `fusionnas`: LayerNorm(primitive + first operand) after every step; several steps
    /// concatenated and projected back to C by a 1x1 conv.
    case perStep = "per-step"
    /// BM-NAS's code (`NodeCell.forward`): the steps' primitive outputs concatenated, with more than
    /// one step a 1x1 conv, BatchNorm, ReLU and dropout, then + the cell's first input and one
    /// LayerNorm.
    case reference
}

/// The structure switches of the `fusionnas` space: two of its differences from BM-NAS's code that
/// can each be set to BM-NAS's choice, so that each difference can be measured alone.
///
/// They change the network a genotype builds, so a genotype searched with a switched structure
/// records it (``Genotype/structure``) and rebuilds exactly that structure.
public struct NetworkStructure: Sendable, Codable, Equatable, CustomStringConvertible {
    public var inputPooling: InputPooling
    public var cellOutput: CellOutput

    public init(inputPooling: InputPooling = .average, cellOutput: CellOutput = .perStep) {
        self.inputPooling = inputPooling
        self.cellOutput = cellOutput
    }

    /// The `fusionnas` space's structure, which a genotype without a structure builds.
    public static let fusionnas = NetworkStructure()

    private enum CodingKeys: String, CodingKey { case inputPooling, cellOutput }

    /// A key left out of a hand-written file keeps `fusionnas`'s choice.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        inputPooling = try container.decodeIfPresent(InputPooling.self, forKey: .inputPooling) ?? .average
        cellOutput = try container.decodeIfPresent(CellOutput.self, forKey: .cellOutput) ?? .perStep
    }

    /// The choices that differ from `fusionnas`'s, e.g. `input pooling maximum, cell output reference`.
    public var description: String {
        var parts: [String] = []
        if inputPooling != Self.fusionnas.inputPooling { parts.append("input pooling \(inputPooling.rawValue)") }
        if cellOutput != Self.fusionnas.cellOutput { parts.append("cell output \(cellOutput.rawValue)") }
        return parts.isEmpty ? "fusionnas's" : parts.joined(separator: ", ")
    }
}
