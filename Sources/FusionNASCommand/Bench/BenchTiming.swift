import Foundation

/// Wall-clock statistics of a repeated workload iteration, in milliseconds.
struct BenchTiming: Sendable {
    let samples: [Double]

    var median: Double {
        let sorted = samples.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
    var minimum: Double { samples.min() ?? 0 }
    var maximum: Double { samples.max() ?? 0 }

    /// Runs `iteration` `warmup` times untimed, then `iterations` times timed one by one (as the
    /// peers do: their medians are per-iteration, so ours must be too).
    static func measure(iterations: Int, warmup: Int, _ iteration: () -> Void) -> BenchTiming {
        for _ in 0..<warmup { iteration() }
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            iteration()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return BenchTiming(samples: samples)
    }
}
