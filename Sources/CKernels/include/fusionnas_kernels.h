// Elementwise kernels that the Swift compiler cannot vectorise well on the baseline x86-64 target.
#ifndef FUSIONNAS_KERNELS_H
#define FUSIONNAS_KERNELS_H

#include <stddef.h>

/// One Adam step's constants, computed once per parameter tensor by the caller.
typedef struct {
    float beta1, one_minus_beta1;
    float beta2, one_minus_beta2;
    /// learning rate / (1 - beta1^t)
    float step_size;
    /// sqrt(1 - beta2^t)
    float correction2;
    float epsilon;
    /// Coupled weight decay (Adam), added to the gradient.
    float l2;
    /// 1 - learning rate * decoupled weight decay (AdamW), applied when `decoupled` is non-zero.
    float shrink;
    int decoupled;
} fusionnas_adam_constants;

/// Updates `count` parameters `p` and their moments `m`, `v` from the gradients `g`, exactly as
/// the scalar formula does element by element (no fused multiply-add, correctly rounded square
/// root and division), so the result does not depend on the vector width the CPU offers.
void fusionnas_adam_update(
    const fusionnas_adam_constants *constants, float *p, const float *g, float *m, float *v, size_t count);

#endif
