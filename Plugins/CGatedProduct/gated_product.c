/*
 * gated_product — a FusionNAS fusion primitive written in plain C.
 *
 *     out = sigmoid(sharpness * gate) * value        (elementwise, inputs (batch, C, L))
 *
 * The first input gates the second, as a GLU does across modalities. Build and load:
 *
 *     cc -O2 -shared -fPIC -I Sources/CPluginABI/include Plugins/CGatedProduct/gated_product.c \
 *        -o libgated_product.so -lm
 *     fusion-nas search --plugin ./libgated_product.so --primitives zero,sum,gated_product ...
 */
#include <math.h>
#include <stdint.h>

#include "fusionnas_plugin.h"

static float sigmoid(float x) {
    /* Two branches so that exp never overflows. */
    if (x >= 0) return 1.0f / (1.0f + expf(-x));
    float e = expf(x);
    return e / (1.0f + e);
}

static void gated_product_forward(int64_t batch, int64_t channels, int64_t length, const float *gate,
                                  const float *value, float *out, float sharpness) {
    int64_t n = batch * channels * length;
    for (int64_t i = 0; i < n; i++) out[i] = sigmoid(sharpness * gate[i]) * value[i];
}

static void gated_product_backward(int64_t batch, int64_t channels, int64_t length, const float *gate,
                                   const float *value, const float *out, const float *grad_out,
                                   float *grad_gate, float *grad_value, float sharpness) {
    (void)out;
    int64_t n = batch * channels * length;
    for (int64_t i = 0; i < n; i++) {
        float g = sigmoid(sharpness * gate[i]);
        grad_gate[i] = grad_out[i] * value[i] * sharpness * g * (1.0f - g);
        grad_value[i] = grad_out[i] * g;
    }
}

static const fusionnas_scalar_parameter gated_product_scalars[] = {
    {.name = "sharpness", .type = FUSIONNAS_SCALAR_FLOAT, .default_value = 1.0},
};

static const fusionnas_kernel_primitive kernels[] = {{
    .name = "gated_product",
    .version = "1.0.0",
    .summary = "sigmoid(sharpness * x0) * x1, C kernels",
    .input_count = 2,
    .scalar_count = 1,
    .scalars = gated_product_scalars,
    .forward = (void *)gated_product_forward,
    .backward = (void *)gated_product_backward,
}};

FUSIONNAS_PLUGIN_EXPORT const fusionnas_plugin_descriptor *fusionnas_plugin_entry(void) {
    static const fusionnas_plugin_descriptor descriptor = {
        FUSIONNAS_PLUGIN_DESCRIPTOR_HEADER,
        .name = "gated-product",
        .version = "1.0.0",
        .core_fingerprint = 0, /* kernels only: depends on fusionnas_plugin.h, not on the Swift core */
        .kernel_count = 1,
        .kernels = kernels,
    };
    return &descriptor;
}
