/*
 * DQN_KERNEL marks the hot loops for function multi-versioning on x86-64:
 * the compiler emits an AVX2 and an AVX-512 copy next to the baseline
 * SSE2 one and the dynamic loader picks the best the CPU has (an ifunc),
 * so the build needs no -march and still runs on any x86-64.  The kernels
 * add in a fixed order and never contract to FMA (-ffp-contract=off), so
 * every copy computes the same bits.  Define DQN_NO_CLONES to build the
 * baseline only.
 */
#ifndef DQN_SIMD_H
#define DQN_SIMD_H

/* Helpers of a kernel must be inlined into each copy: a call would run
 * the baseline code whatever the CPU. */
#if defined(__GNUC__)
#define DQN_INLINE static inline __attribute__((always_inline))
#else
#define DQN_INLINE static inline
#endif

#if defined(__x86_64__) && defined(__GNUC__) && defined(__ELF__) && \
    !defined(DQN_NO_CLONES)
#define DQN_KERNEL __attribute__((target_clones("avx512f", "avx2", \
    "default")))
#else
#define DQN_KERNEL
#endif

#endif
