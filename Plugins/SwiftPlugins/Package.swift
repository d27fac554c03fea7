// swift-tools-version: 6.0
import PackageDescription

/// Three example Swift plugins, each a `.dynamic` library product loaded by `fusion-nas --plugin PATH`:
/// a fusion primitive, an SSL objective, and an encoder, an augmentation and a search space together.
///
/// They depend on the root package's dynamic `FusionNAS` product; at dlopen their references bind to
/// the host's single copy of the core (the host exports its symbols), so casts and registry globals
/// are shared. Build one with, from the repository root:
///
///     swift build --package-path Plugins/SwiftPlugins --product LowRankFusionPlugin
///     swift build --package-path Plugins/SwiftPlugins --product BarlowTwinsPlugin
///     swift build --package-path Plugins/SwiftPlugins --product ThreeKindsPlugin
///
/// and load `Plugins/SwiftPlugins/.build/debug/libLowRankFusionPlugin.so`.
let package = Package(
    name: "SwiftPlugins",
    products: [
        .library(name: "LowRankFusionPlugin", type: .dynamic, targets: ["LowRankFusionPlugin"]),
        .library(name: "BarlowTwinsPlugin", type: .dynamic, targets: ["BarlowTwinsPlugin"]),
        .library(name: "ThreeKindsPlugin", type: .dynamic, targets: ["ThreeKindsPlugin"]),
    ],
    dependencies: [.package(name: "FusionNAS", path: "../..")],
    targets: [
        .target(name: "LowRankFusionPlugin", dependencies: [.product(name: "FusionNAS", package: "FusionNAS")]),
        .target(name: "BarlowTwinsPlugin", dependencies: [.product(name: "FusionNAS", package: "FusionNAS")]),
        .target(name: "ThreeKindsPlugin", dependencies: [.product(name: "FusionNAS", package: "FusionNAS")]),
    ],
    swiftLanguageModes: [.v6]
)
