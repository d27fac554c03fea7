import Foundation
import Testing

/// The example program in Examples/CustomPrimitive builds against the package and runs its search.
@Suite struct ExampleProgramTests {
    @Test func customPrimitiveExampleBuildsAndFindsAGenotype() throws {
        let package = PluginFixtures.repositoryRoot.appendingPathComponent("Examples/CustomPrimitive")
        let build = PluginFixtures.swiftBuild(package: package, scratch: package.appendingPathComponent(".build"))
        try #require(build.status == 0, "building the example failed:\n\(build.output.suffix(3000))")
        let binary = package.appendingPathComponent(".build/debug/custom-primitive-search").path
        let run = PluginFixtures.run([binary])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("primitive elementwise_max 1.0 from in-process (custom-primitive-search)"), "\(run.output)")
        #expect(run.output.contains("genotype: cell 0 = "), "\(run.output)")
    }
}
