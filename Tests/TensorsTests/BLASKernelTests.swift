import Testing
@testable import Tensors

@Suite struct BLASKernelTests {
    /// The flags Linux lists for the Intel Xeon of family 6 model 207 (Emerald Rapids) that Debian's
    /// OpenBLAS 0.3.21 takes for a `Prescott`, cut to those that matter here.
    static let emeraldRapids: Set<String> = [
        "sse3", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_bf16",
    ]

    @Test func strongestFamilyFollowsTheWidestInstructions() {
        #expect(BLASKernel.strongest(flags: Self.emeraldRapids, vendor: "GenuineIntel") == "Cooperlake")
        #expect(BLASKernel.strongest(flags: Self.emeraldRapids.subtracting(["avx512_bf16"]), vendor: "GenuineIntel") == "SkylakeX")
        // AVX-512 without BW and VL (Knights Landing) is not SkylakeX's instruction set.
        #expect(BLASKernel.strongest(flags: ["avx2", "fma", "avx512f"], vendor: "GenuineIntel") == "Haswell")
        #expect(BLASKernel.strongest(flags: ["avx2", "fma"], vendor: "AuthenticAMD") == "Zen")
        #expect(BLASKernel.strongest(flags: ["sse3", "avx"], vendor: "GenuineIntel") == nil)
    }

    @Test func aWeakerChoiceIsReplacedAndAStrongerOneKept() {
        #expect(BLASKernel.replacement(for: "Prescott", flags: Self.emeraldRapids, vendor: "GenuineIntel") == "Cooperlake")
        #expect(BLASKernel.replacement(for: "Haswell", flags: Self.emeraldRapids, vendor: "GenuineIntel") == "Cooperlake")
        #expect(BLASKernel.replacement(for: "Cooperlake", flags: Self.emeraldRapids, vendor: "GenuineIntel") == nil)
        #expect(BLASKernel.replacement(for: "SkylakeX", flags: ["avx2", "fma"], vendor: "GenuineIntel") == nil)
        #expect(BLASKernel.replacement(for: "Zen", flags: ["avx2", "fma"], vendor: "AuthenticAMD") == nil)
        #expect(BLASKernel.replacement(for: "Prescott", flags: ["sse3"], vendor: "GenuineIntel") == nil)
    }

    @Test func theUsersSettingAndAnEarlierRestartAreNeverOverridden() {
        #expect(BLASKernel.kernelToRestartWith(environment: ["OPENBLAS_CORETYPE": "Prescott"]) == nil)
        #expect(BLASKernel.kernelToRestartWith(environment: [BLASKernel.restartMarker: "1"]) == nil)
    }

    /// The products of whatever kernel this test process runs on, at one and at three threads (the
    /// second size is then cut into blocks).
    @Test(.serialized, arguments: [1, 3])
    func productsMatchTheDoublePrecisionReference(threads: Int) {
        let saved = Threading.threads
        defer { Threading.setThreads(saved) }
        Threading.setThreads(threads)
        let results = BLASSelfCheck.run()
        #expect(results.count == 10)
        for result in results { #expect(result.passed, "\(result)") }
    }

    /// The check itself must catch a wrong product: a relative error of one part in a thousand on
    /// a length-129 dot product is far outside the bound.
    @Test func aWrongProductFailsTheCheck() {
        let bound = BLASSelfCheck.Result(product: "x", errorInBounds: 1e-3 / (130 * Double(Float.ulpOfOne)))
        #expect(!bound.passed)
        #expect(!BLASSelfCheck.Result(product: "x", errorInBounds: .nan).passed)
    }
}
