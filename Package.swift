// swift-tools-version: 6.0
import PackageDescription

/// The executable and the tests export their symbols so that plugins loaded with dlopen bind to the
/// host's single copy of the core modules (see Docs/plugins.md). They also carry the soname of the
/// dynamic `FusionNAS` product: a Swift plugin's dependency on libFusionNAS.so then resolves to the
/// host itself, so no second copy of the core is loaded, wherever the plugin file lives. (lld, shipped
/// with the toolchain, because gold ignores -soname when linking an executable.)
let exportDynamic: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "--export-dynamic", "-Xlinker", "-soname=libFusionNAS.so"])
]

let package = Package(
    name: "FusionNAS",
    products: [
        .executable(name: "fusion-nas", targets: ["fusion-nas"]),
        // Plugins depend on this dynamic product; at load time their references bind to the host's copy.
        .library(
            name: "FusionNAS", type: .dynamic,
            targets: ["FileChecks", "ONNXWriter", "Tensors", "Layers", "FusionNAS", "BMNAS", "Contrastive", "MultimodalData", "FusionNASPipeline"]),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CFFI", pkgConfig: "libffi", providers: [.apt(["libffi-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Open MPI's C API for runs under mpirun (Docs/distributed.md); MPI is initialised only there.
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        // glibc's malloc.h, for the allocator settings in TensorStorage.
        .systemLibrary(name: "CMalloc"),
        .target(name: "Tensors", dependencies: ["CBLAS", "CMalloc"]),
        // Reading input files with a reason a user can act on (no dependencies).
        .target(name: "FileChecks"),
        // A minimal protobuf encoder and the ONNX messages `fusion-nas export` writes (no dependencies).
        .target(name: "ONNXWriter"),
        // Elementwise kernels in C where Swift's SIMD types do not vectorise (the optimizers' updates).
        .target(name: "CKernels"),
        .target(name: "Layers", dependencies: ["Tensors", "ONNXWriter", "CKernels"]),
        // The plugin ABI header, shared by C plugins and the host (Sources/CPluginABI/include/fusionnas_plugin.h).
        .target(name: "CPluginABI"),
        .target(name: "FusionNAS", dependencies: ["Tensors", "Layers", "ONNXWriter", "CFFI", "CPluginABI", "FileChecks"]),
        .target(name: "BMNAS", dependencies: ["FusionNAS", "ONNXWriter"]),
        .target(name: "Contrastive", dependencies: ["FusionNAS"]),
        .target(
            name: "MultimodalData", dependencies: ["Tensors", "CHDF5", "CZlib", "FileChecks"],
            resources: [
                .copy("Resources/uci-mfeat"), .copy("Resources/satellite"), .copy("Resources/smartwatch-imu"),
            ]),
        // The straight line of the main job: data -> encoders -> search -> pretrain -> fine-tune -> evaluate.
        .target(
            name: "FusionNASPipeline",
            dependencies: ["FusionNAS", "BMNAS", "Contrastive", "MultimodalData"]),
        // Pictures of genotypes (DOT, SVG, Graphviz) and the SVG escaping every plot shares; only the command draws.
        .target(name: "Rendering", dependencies: ["FusionNAS"]),
        // Collectives over MPI ranks (rank, all-gather with gradient, all-reduce); no other module imports CMPI.
        .target(name: "MessagePassing", dependencies: ["Tensors", "CMPI"]),
        .target(name: "FusionNASCommand", dependencies: ["FusionNASPipeline", "FileChecks", "Rendering", "MessagePassing"]),
        .executableTarget(
            name: "fusion-nas", dependencies: ["FusionNASCommand"], linkerSettings: exportDynamic),
        // What tests share and the library does not ship: the finite-difference gradient check, tiny BM-NAS fixtures.
        .target(name: "TestSupport", dependencies: ["Tensors", "FusionNAS", "BMNAS"]),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport", "Tensors"]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TestSupport"]),
        .testTarget(name: "FileChecksTests", dependencies: ["FileChecks"]),
        .testTarget(name: "LayersTests", dependencies: ["Layers", "TestSupport"]),
        .testTarget(name: "ONNXWriterTests", dependencies: ["ONNXWriter"]),
        .testTarget(name: "MultimodalDataTests", dependencies: ["MultimodalData"]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "FusionNAS"]),
        .testTarget(name: "BMNASTests", dependencies: ["BMNAS", "FusionNAS", "Layers", "ONNXWriter", "Tensors", "TestSupport"]),
        .testTarget(name: "ContrastiveTests", dependencies: ["Contrastive", "BMNAS", "FusionNAS", "Layers", "Tensors", "TestSupport"]),
        .testTarget(
            name: "FusionNASPipelineTests",
            dependencies: ["FusionNASPipeline", "BMNAS", "Contrastive", "FusionNAS", "Layers", "MultimodalData", "Tensors", "TestSupport"]),
        // The core and what spans modules; it loads plugins, so it exports the core as the executable does.
        .testTarget(
            name: "FusionNASTests",
            dependencies: [
                "Tensors", "Layers", "FusionNAS", "BMNAS", "Contrastive", "FusionNASPipeline", "MessagePassing", "Rendering",
                "TestSupport",
            ],
            linkerSettings: exportDynamic),
        .testTarget(
            name: "CommandTests", dependencies: ["FusionNASCommand"], linkerSettings: exportDynamic),
    ],
    swiftLanguageModes: [.v6]
)
