import Foundation
import Layers
import TestSupport
import Testing

@testable import FusionNAS
import Tensors

/// C plugins: kernels called through libffi and wrapped as autodiff ops.
@Suite struct PluginCKernelTests {
    func sigmoid(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }

    @Test func gatedProductIsRegisteredWithItsIdentity() throws {
        let path = try PluginFixtures.gatedProduct()
        let registry = ComponentRegistry()
        let plugin = try PluginLoader.load(path: path, into: registry)
        #expect(plugin.name == "gated-product" && plugin.version == "1.0.0")
        #expect(plugin.abiMajor == PluginLoader.abiMajor && plugin.coreFingerprint == nil)
        let expected = ComponentRegistry.Listing(
            kind: .primitive, name: "gated_product", version: "1.0.0", origin: .plugin(path),
            summary: "sigmoid(sharpness * x0) * x1, C kernels")
        #expect(registry.listing() == [expected])
        #expect(plugin.components == [expected])
        plugin.shutDown()
    }

    @Test func gatedProductComputesAndDifferentiatesThroughTheCKernels() throws {
        let registry = ComponentRegistry()
        _ = try PluginLoader.load(path: try PluginFixtures.gatedProduct(), into: registry)
        var rng = SeededGenerator(seed: 3)
        let gated = try registry.primitive(named: "gated_product").make(
            PrimitiveConfiguration(channels: 3, length: 2, options: ["sharpness": 2]), &rng)
        let a = Tensor.randn([2, 3, 2], rng: &rng), b = Tensor.randn([2, 3, 2], rng: &rng)
        let y = gated([a, b])
        for i in 0..<a.count {
            #expect(Swift.abs(y.data[i] - sigmoid(2 * a.data[i]) * b.data[i]) < 1e-5)
        }
        // Inside a larger computation: the C backward kernel sits between Swift ops.
        let check = GradientCheck.run(inputs: [a, b]) { t in
            (gated([t[0].tanh(), t[1] * t[0]]) + t[1]).square()
        }
        #expect(check.passed, "\(check)")
    }

    @Test func kernelOfThreeInputsAndMixedScalarsIsCalledThroughLibffi() throws {
        // out = scale * (x + 2y + 3z) + offset + bias, with double, int64 and float scalars.
        let source = """
            #include "fusionnas_plugin.h"
            static void fwd(int64_t b, int64_t c, int64_t l, const float *x, const float *y, const float *z,
                            float *out, double scale, int64_t offset, float bias) {
                for (int64_t i = 0; i < b * c * l; i++) out[i] = (float)(scale * (x[i] + 2 * y[i] + 3 * z[i])) + offset + bias;
            }
            static void bwd(int64_t b, int64_t c, int64_t l, const float *x, const float *y, const float *z,
                            const float *out, const float *g, float *gx, float *gy, float *gz,
                            double scale, int64_t offset, float bias) {
                for (int64_t i = 0; i < b * c * l; i++) {
                    gx[i] = (float)scale * g[i]; gy[i] = 2 * (float)scale * g[i]; gz[i] = 3 * (float)scale * g[i];
                }
            }
            static const fusionnas_scalar_parameter scalars[] = {
                { "scale", FUSIONNAS_SCALAR_DOUBLE, 1.0 }, { "offset", FUSIONNAS_SCALAR_INT64, 0 },
                { "bias", FUSIONNAS_SCALAR_FLOAT, 0.25 } };
            static const fusionnas_kernel_primitive kernels[] = {{ .name = "scaled_sum3", .version = "2.1",
                .input_count = 3, .scalar_count = 3, .scalars = scalars, .forward = (void *)fwd, .backward = (void *)bwd }};
            FUSIONNAS_PLUGIN_EXPORT const fusionnas_plugin_descriptor *fusionnas_plugin_entry(void) {
                static const fusionnas_plugin_descriptor d = { FUSIONNAS_PLUGIN_DESCRIPTOR_HEADER,
                    .name = "sums", .version = "2.1", .kernel_count = 1, .kernels = kernels };
                return &d;
            }
            """
        let path = try PluginFixtures.compileC(source, name: "scaledsum")
        let registry = ComponentRegistry()
        _ = try PluginLoader.load(path: path, into: registry)
        var rng = SeededGenerator(seed: 5)
        let factory = try registry.primitive(named: "scaled_sum3")
        #expect(factory.version == "2.1" && factory.origin == .plugin(path))
        let sum3 = try factory.make(PrimitiveConfiguration(channels: 2, length: 3, arity: 3, options: ["scale": 0.5, "offset": 2]), &rng)
        let x = Tensor.randn([1, 2, 3], rng: &rng), y = Tensor.randn([1, 2, 3], rng: &rng), z = Tensor.randn([1, 2, 3], rng: &rng)
        let out = sum3([x, y, z])
        for i in 0..<out.count {
            let expected = 0.5 * (x.data[i] + 2 * y.data[i] + 3 * z.data[i]) + 2 + 0.25
            #expect(Swift.abs(out.data[i] - expected) < 1e-5)
        }
        let check = GradientCheck.run(inputs: [x, y, z]) { t in sum3([t[0], t[1], t[2]]).sigmoid() }
        #expect(check.passed, "\(check)")
        // An int64 option must be an integer.
        #expect(throws: ComponentError.self) {
            _ = try factory.make(PrimitiveConfiguration(channels: 2, length: 3, arity: 3, options: ["offset": 1.5]), &rng)
        }
    }

    @Test func arityOtherThanTheKernelsIsRefusedWhenBuilding() throws {
        let registry = ComponentRegistry()
        _ = try PluginLoader.load(path: try PluginFixtures.gatedProduct(), into: registry)
        var rng = SeededGenerator(seed: 1)
        let factory = try registry.primitive(named: "gated_product")
        #expect(throws: ComponentError("primitive 'gated_product' fuses 2 inputs, but the search space asks for 3")) {
            _ = try factory.make(PrimitiveConfiguration(channels: 2, length: 2, arity: 3), &rng)
        }
    }
}
