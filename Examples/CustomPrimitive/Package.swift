// swift-tools-version: 6.0
import PackageDescription

/// A program that uses FusionNAS as a library: it registers its own fusion primitive in-process and
/// searches a BM-NAS supernet that includes it. Run from the repository root:
///
///     swift run --package-path Examples/CustomPrimitive custom-primitive-search
let package = Package(
    name: "CustomPrimitive",
    dependencies: [.package(name: "FusionNAS", path: "../..")],
    targets: [
        .executableTarget(
            name: "custom-primitive-search", dependencies: [.product(name: "FusionNAS", package: "FusionNAS")],
            // SwiftPM passes the core's `-lhdf5` to this link but not pkg-config's directory for it
            // (Debian keeps HDF5 in hdf5/serial); `pkg-config --libs-only-L hdf5` prints it.
            linkerSettings: [.unsafeFlags(["-L/usr/lib/x86_64-linux-gnu/hdf5/serial"])])
    ],
    swiftLanguageModes: [.v6]
)
