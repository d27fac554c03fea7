import FusionNAS
import Layers
import Tensors

/// BM-NAS's reshaping of one input node to the shared (C, L): length adapted by pooling, then 1x1
/// conv C_i -> C, BatchNorm and ReLU (fused into the BatchNorm's output pass), and with
/// ``InputPooling/maximum`` dropout.
///
/// With ``InputPooling/average`` the flattened map is average-pooled to L. With
/// ``InputPooling/maximum`` an image level (``FeatureLevelShape/rows`` known) is max-pooled in 2-D
/// to a rows x columns grid of L cells, √L x √L when L is a square as BM-NAS requires (otherwise
/// the most nearly square one); a sequence is max-pooled along its length, as BM-NAS's
/// `ReshapeInputLayer` pools time.
///
/// A length-1 input (a vector modality) is, with ``VectorLevels/repeat``, transformed at length 1 and
/// then repeated along L, which gives BM-NAS's result for less work (BM-NAS pools the 1 x 1 map up
/// to √L x √L first; conv, BatchNorm and ReLU see the same values at every position, and
/// dropout, applied after the repetition, still draws a mask per position); with
/// ``VectorLevels/project`` a 1x1 conv C_i -> C·L gives each of the L positions its own
/// projection, laid out as (C, L).
final class InputReshaper: Module, @unchecked Sendable {
    let conv: Conv1d
    let norm: BatchNorm1d
    let inputLength: Int
    let channels: Int
    let length: Int
    /// Whether a vector input is projected to (C, L) rather than repeated.
    let projectsVector: Bool
    let pooling: InputPooling
    /// Rows of the input's 2-D map, when it has one.
    let inputRows: Int?
    /// BM-NAS's dropout after the ReLU (``InputPooling/maximum`` only).
    let dropout: Dropout?

    init(
        inChannels: Int, inputLength: Int, channels: Int, length: Int, vectorLevels: VectorLevels = .repeat,
        pooling: InputPooling = .average, inputRows: Int? = nil, dropout: Float = 0, rng: inout SeededGenerator
    ) {
        projectsVector = inputLength == 1 && length > 1 && vectorLevels == .project
        conv = Conv1d(
            inChannels: inChannels, outChannels: projectsVector ? channels * length : channels, kernelSize: 1, rng: &rng)
        norm = BatchNorm1d(channels, fusedReLU: true)
        self.inputLength = inputLength
        self.channels = channels
        self.length = length
        self.pooling = pooling
        self.inputRows = inputRows
        self.dropout = pooling == .maximum ? Dropout(dropout, rng: &rng) : nil
        super.init()
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(
            x.rank == 3 && x.shape[1] == conv.weight.shape[1] && x.shape[2] == inputLength,
            "InputReshaper: expected (batch, \(conv.weight.shape[1]), \(inputLength)), got \(x.shape)")
        let y: Tensor
        if projectsVector {
            y = norm(conv(x).reshaped([x.shape[0], channels, length]))
        } else if inputLength == 1 {
            y = norm(conv(x)).broadcasted(to: [x.shape[0], channels, length])
        } else {
            y = norm(conv(pooled(x)))
        }
        return dropout.map { $0(y) } ?? y
    }

    /// The input brought to length L.
    func pooled(_ x: Tensor) -> Tensor {
        switch pooling {
        case .average:
            return inputLength == length ? x : adaptiveAvgPool1d(x, outputSize: length)
        case .maximum:
            let (n, c) = (x.shape[0], x.shape[1])
            let (map, grid) = maxPoolingShapes
            return adaptiveMaxPool2d(x.reshaped([n, c, map.0, map.1]), outputSize: grid).reshaped([n, c, length])
        }
    }

    /// With ``InputPooling/maximum``: the input's 2-D map (rows x columns; a sequence is L_i x 1)
    /// and the grid it is pooled to, shared by the forward pass and its ONNX lowering so the two
    /// cannot disagree.
    var maxPoolingShapes: (map: (Int, Int), grid: (Int, Int)) {
        let map = inputRows.map { ($0, inputLength / $0) } ?? (inputLength, 1)
        return (map, inputRows == nil ? (length, 1) : Self.grid(length))
    }

    /// The rows x columns grid of `length` cells nearest to a square (√L x √L for a square L).
    static func grid(_ length: Int) -> (Int, Int) {
        var rows = Int(Double(length).squareRoot())
        while length % rows != 0 { rows -= 1 }
        return (rows, length / rows)
    }
}
