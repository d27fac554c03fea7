// The Adam update in C because Swift's SIMD square root becomes one scalar `sqrtss` per lane with a
// branch on the baseline x86-64 target (the update was 10 % of a training step of REFERENCE.md's
// MLP). Clang's vector extensions give one body; `target_clones` compiles it for AVX-512, AVX and
// the baseline and picks one at load time.
#include "fusionnas_kernels.h"

// Every product and sum is rounded on its own, as in the scalar formula and PyTorch's eager update:
// a fused multiply-add would give results that depend on the CPU.
#pragma clang fp contract(off)

typedef float lanes __attribute__((ext_vector_type(16)));

#if defined(__x86_64__)
#define VECTOR_TARGETS __attribute__((target_clones("avx512f", "avx", "default")))
#else
#define VECTOR_TARGETS
#endif

// Macros, not functions: a 16-lane value may not cross a function boundary in the clones without AVX-512.
#define LOAD(x, p) __builtin_memcpy(&(x), (p), sizeof(lanes))
#define STORE(p, x) __builtin_memcpy((p), &(x), sizeof(lanes))

VECTOR_TARGETS
void fusionnas_adam_update(
    const fusionnas_adam_constants *c, float *restrict p, const float *restrict g, float *restrict m,
    float *restrict v, size_t count) {
    const float beta1 = c->beta1, one_minus_beta1 = c->one_minus_beta1;
    const float beta2 = c->beta2, one_minus_beta2 = c->one_minus_beta2;
    const float step_size = c->step_size, correction2 = c->correction2, epsilon = c->epsilon;
    const float l2 = c->l2, shrink = c->shrink;
    const int decoupled = c->decoupled;
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        lanes pv, gv, mv, vv;
        LOAD(pv, p + i);
        LOAD(gv, g + i);
        LOAD(mv, m + i);
        LOAD(vv, v + i);
        if (decoupled) pv = pv * shrink;
        const lanes gi = gv + l2 * pv;
        mv = beta1 * mv + one_minus_beta1 * gi;
        vv = beta2 * vv + one_minus_beta2 * gi * gi;
        pv = pv - step_size * mv / (__builtin_elementwise_sqrt(vv) / correction2 + epsilon);
        STORE(m + i, mv);
        STORE(v + i, vv);
        STORE(p + i, pv);
    }
    for (; i < count; i++) {
        float pi = p[i];
        if (decoupled) pi = pi * shrink;
        const float gi = g[i] + l2 * pi;
        const float mi = beta1 * m[i] + one_minus_beta1 * gi;
        const float vi = beta2 * v[i] + one_minus_beta2 * gi * gi;
        p[i] = pi - step_size * mi / (__builtin_sqrtf(vi) / correction2 + epsilon);
        m[i] = mi;
        v[i] = vi;
    }
}
