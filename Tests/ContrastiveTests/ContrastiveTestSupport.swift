import Contrastive
import Foundation
import FusionNAS
import Testing
import Tensors

/// The parent of every test of the Contrastive module (extended in the other Contrastive*.swift files).
@Suite(.serialized) struct ContrastiveTests {}

/// NT-Xent computed directly from its definition in Double, to compare the implementation against.
func referenceNTXent(_ z1: [[Double]], _ z2: [[Double]], temperature: Double) -> Double {
    let units = (z1 + z2).map(unit)
    let n = units.count, batch = z1.count
    var total = 0.0
    for k in 0..<n {
        let partner = (k + batch) % n
        var denominator = 0.0
        for j in 0..<n where j != k { denominator += exp(dot(units[k], units[j]) / temperature) }
        total += -log(exp(dot(units[k], units[partner]) / temperature) / denominator)
    }
    return total / Double(n)
}

/// CLIP's symmetric loss over every pair of views, from its definition in Double.
func referenceCLIP(_ views: [[[Double]]], scale: Double) -> Double {
    let units = views.map { $0.map(unit) }
    let batch = views[0].count
    var pairs: [Double] = []
    for a in 0..<units.count {
        for b in (a + 1)..<units.count {
            var rows = 0.0, columns = 0.0
            for i in 0..<batch {
                let row = (0..<batch).map { scale * dot(units[a][i], units[b][$0]) }
                let column = (0..<batch).map { scale * dot(units[a][$0], units[b][i]) }
                rows += -row[i] + log(row.map(exp).reduce(0, +))
                columns += -column[i] + log(column.map(exp).reduce(0, +))
            }
            pairs.append((rows + columns) / Double(2 * batch))
        }
    }
    return pairs.reduce(0, +) / Double(pairs.count)
}

func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
func unit(_ a: [Double]) -> [Double] {
    let norm = dot(a, a).squareRoot()
    return a.map { $0 / norm }
}

/// The rows of a (batch, D) tensor as Double arrays.
func rows(_ t: Tensor) -> [[Double]] {
    let width = t.shape[1]
    return (0..<t.shape[0]).map { r in (0..<width).map { Double(t.data[r * width + $0]) } }
}

func matrix(_ values: [[Float]]) -> Tensor {
    Tensor(shape: [values.count, values[0].count], values: values.flatMap { $0 })
}
