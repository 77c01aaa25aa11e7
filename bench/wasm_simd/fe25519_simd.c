/* Issue #19: can wasm SIMD128 speed up libsodium 1.0.18's Ed25519 field code (fe_25_5,
 * ten 25.5-bit limbs)? Checks SIMD128 versions of fe25519_mul, fe25519_sq and the
 * conditional move against libsodium's own (its private header, included from the
 * Debian source tree: see run.sh) limb for limb, then times both.
 * Built twice: without -msimd128 (today's libsodium build: scalar rows only) and with it
 * (scalar rows as clang auto-vectorises them, plus the SIMD rows). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "private/ed25519_ref10.h"

#define NOINLINE __attribute__((noinline))

NOINLINE static void ref_mul(fe25519 h, const fe25519 f, const fe25519 g) { fe25519_mul(h, f, g); }
NOINLINE static void ref_sq(fe25519 h, const fe25519 f) { fe25519_sq(h, f); }
/* ge25519_cmov on a ge25519_precomp (three field elements) is three fe25519_cmov. */
NOINLINE static void ref_cmov3(int32_t t[30], const int32_t u[30], unsigned int b)
{
    fe25519_cmov(t, u, b);
    fe25519_cmov(t + 10, u + 10, b);
    fe25519_cmov(t + 20, u + 20, b);
}

#ifdef __wasm_simd128__
#include <wasm_simd128.h>

/* fe_25_5's carry chain, in the same order on the same 64-bit sums, so the limbs match. */
static inline void carry_out(fe25519 out, const v128_t v[5])
{
    int64_t h[10] = {
        wasm_i64x2_extract_lane(v[0], 0), wasm_i64x2_extract_lane(v[0], 1),
        wasm_i64x2_extract_lane(v[1], 0), wasm_i64x2_extract_lane(v[1], 1),
        wasm_i64x2_extract_lane(v[2], 0), wasm_i64x2_extract_lane(v[2], 1),
        wasm_i64x2_extract_lane(v[3], 0), wasm_i64x2_extract_lane(v[3], 1),
        wasm_i64x2_extract_lane(v[4], 0), wasm_i64x2_extract_lane(v[4], 1),
    };
    int64_t c;
#define CARRY(i, bits) \
    c = (h[i] + ((int64_t) 1 << ((bits) - 1))) >> (bits); \
    h[(i) + 1] += c; \
    h[i] -= c * ((uint64_t) 1 << (bits))
    CARRY(0, 26); CARRY(4, 26);
    CARRY(1, 25); CARRY(5, 25);
    CARRY(2, 26); CARRY(6, 26);
    CARRY(3, 25); CARRY(7, 25);
    CARRY(4, 26); CARRY(8, 26);
    c = (h[9] + ((int64_t) 1 << 24)) >> 25;
    h[0] += c * 19;
    h[9] -= c * ((uint64_t) 1 << 25);
    CARRY(0, 26);
#undef CARRY
    for (int i = 0; i < 10; i++) {
        out[i] = (int32_t) h[i];
    }
}

/* Schoolbook product in i64x2 lanes: lanes hold the sums of limbs (2m, 2m+1). Limb i of f
 * meets limb 2m-i of g in lane 0 and 2m+1-i in lane 1; an index below 0 wraps to +10 with a
 * factor 19. With w = [19g0..19g9, g0..g9], g's pair for (m, i) is w[2m-i+10], w[2m-i+11],
 * and the four-lane window at w[2m-i+10] serves pairs m and m+1 (extmul low and high).
 * Windows are cut from w's five vectors by two-vector shuffles (palignr on x64), not by
 * unaligned loads from a stack copy, which would wait on store forwarding.
 * Odd limbs meet odd limbs doubled (2^25.5 radix), lane 0's case for odd i:
 * a_i = (2f_i, f_i, 2f_i, f_i), and (f_i x4) for even i. */
#define WINDOW(o) ((o) % 4 == 0 ? v[(o) / 4] \
    : wasm_i32x4_shuffle(v[(o) / 4], v[(o) / 4 + 1], (o) % 4, (o) % 4 + 1, (o) % 4 + 2, (o) % 4 + 3))
/* 19x as shifts and adds: i32x4.mul is a 10-cycle pmulld on x64, on the critical path. */
static inline v128_t times19(v128_t x)
{
    return wasm_i32x4_add(wasm_i32x4_add(wasm_i32x4_shl(x, 4), wasm_i32x4_shl(x, 1)), x);
}

/* w's five vectors (and a zero-padded sixth) from g. */
static inline void wrapped(v128_t v[6], const int32_t *g)
{
    const v128_t g0  = wasm_v128_load(g);
    const v128_t g4  = wasm_v128_load(g + 4);
    const v128_t g8  = wasm_v128_load64_zero(g + 8);
    v[0] = times19(g0);
    v[1] = times19(g4);
    v[2] = wasm_i32x4_shuffle(times19(g8), g0, 0, 1, 4, 5);
    v[3] = wasm_i32x4_shuffle(g0, g4, 2, 3, 4, 5);
    v[4] = wasm_i32x4_shuffle(g4, g8, 2, 3, 4, 5);
    v[5] = g8;
}

static inline void mul_lanes(v128_t out[5], const int32_t *f, const int32_t *g)
{
    v128_t v[6];
    wrapped(v, g);

    const v128_t f0  = wasm_v128_load(f);
    const v128_t f4  = wasm_v128_load(f + 4);
    const v128_t f8  = wasm_v128_load64_zero(f + 8);
    const v128_t d0  = wasm_i32x4_add(f0, f0);
    const v128_t d4  = wasm_i32x4_add(f4, f4);
    const v128_t d8  = wasm_i32x4_add(f8, f8);
    const v128_t a[10] = {
        wasm_i32x4_shuffle(f0, f0, 0, 0, 0, 0), wasm_i32x4_shuffle(f0, d0, 5, 1, 5, 1),
        wasm_i32x4_shuffle(f0, f0, 2, 2, 2, 2), wasm_i32x4_shuffle(f0, d0, 7, 3, 7, 3),
        wasm_i32x4_shuffle(f4, f4, 0, 0, 0, 0), wasm_i32x4_shuffle(f4, d4, 5, 1, 5, 1),
        wasm_i32x4_shuffle(f4, f4, 2, 2, 2, 2), wasm_i32x4_shuffle(f4, d4, 7, 3, 7, 3),
        wasm_i32x4_shuffle(f8, f8, 0, 0, 0, 0), wasm_i32x4_shuffle(f8, d8, 5, 1, 5, 1),
    };
    for (int k = 0; k < 5; k++) {
        out[k] = wasm_i64x2_const(0, 0);
    }
#define STEP(i) \
    out[0] = wasm_i64x2_add(out[0], wasm_i64x2_extmul_low_i32x4(a[i], WINDOW(10 - (i)))); \
    out[1] = wasm_i64x2_add(out[1], wasm_i64x2_extmul_high_i32x4(a[i], WINDOW(10 - (i)))); \
    out[2] = wasm_i64x2_add(out[2], wasm_i64x2_extmul_low_i32x4(a[i], WINDOW(14 - (i)))); \
    out[3] = wasm_i64x2_add(out[3], wasm_i64x2_extmul_high_i32x4(a[i], WINDOW(14 - (i)))); \
    out[4] = wasm_i64x2_add(out[4], wasm_i64x2_extmul_low_i32x4(a[i], WINDOW(18 - (i))))
    STEP(0); STEP(1); STEP(2); STEP(3); STEP(4); STEP(5); STEP(6); STEP(7); STEP(8); STEP(9);
#undef STEP
}

/* Squaring pairs each term with its mirror: 55 products instead of 100. For lanes (2m, 2m+1)
 * and t = 0..5, limb m+t (never above 9, as m <= 4) meets limbs m-t and m+1-t (w's window
 * at m-t+10, wrapping with 19 as in the product). Lane 0 gets the square of limb m
 * (t = 0), the mirrored pairs t = 1..4 twice, and limb m+5 times its wrapped self (t = 5);
 * lane 1 gets the pairs t = 1..5 twice and nothing at t = 0. Odd limbs meeting odd limbs
 * (lane 0, m+t odd) are doubled again. Pairs m and m+2 share t's window (low and high).
 * The limb-side factors, per limb i as lanes (lane 0, lane 1): d0 = (1 or 2, 0) for t = 0,
 * d1 = (2 or 4, 2) for t = 1..4, d5 = (1 or 2, 2) for t = 5 (the larger for odd i); kept
 * as two limbs per vector, q[k] = (d[2k], d[2k+1]). */
static inline void sq_lanes(v128_t out[5], const int32_t *f)
{
    v128_t v[6];
    wrapped(v, f);
    const v128_t f0 = wasm_v128_load(f);
    const v128_t f4 = wasm_v128_load(f + 4);
    const v128_t f8 = wasm_v128_load64_zero(f + 8);
    const v128_t p[5] = {
        wasm_i32x4_shuffle(f0, f0, 0, 0, 1, 1), wasm_i32x4_shuffle(f0, f0, 2, 2, 3, 3),
        wasm_i32x4_shuffle(f4, f4, 0, 0, 1, 1), wasm_i32x4_shuffle(f4, f4, 2, 2, 3, 3),
        wasm_i32x4_shuffle(f8, f8, 0, 0, 1, 1),
    };
    const v128_t even = wasm_i32x4_const(-1, 0, -1, 0);
    v128_t q0[3], q1[5], q5[5];
    for (int k = 0; k < 5; k++) {
        const v128_t x2 = wasm_i32x4_add(p[k], p[k]);
        const v128_t x4 = wasm_i32x4_add(x2, x2);
        q1[k] = wasm_i32x4_shuffle(x2, x4, 0, 1, 6, 3);
        q5[k] = wasm_i32x4_shuffle(p[k], x2, 0, 5, 6, 7);
        if (k < 3) {
            q0[k] = wasm_v128_and(wasm_i32x4_shuffle(p[k], x2, 0, 1, 6, 3), even);
        }
    }
    for (int k = 0; k < 5; k++) {
        out[k] = wasm_i64x2_const(0, 0);
    }
/* Limb pair (i, i+2) from q: both low or both high halves of neighbouring vectors. */
#define PAIR(q, i) ((i) % 2 == 0 ? wasm_i64x2_shuffle(q[(i) / 2], q[(i) / 2 + 1], 0, 2) \
                                 : wasm_i64x2_shuffle(q[(i) / 2], q[(i) / 2 + 1], 1, 3))
#define ONE(q, i) ((i) % 2 == 0 ? q[(i) / 2] : wasm_i64x2_shuffle(q[(i) / 2], q[(i) / 2], 1, 1))
#define STEP(q, t) \
    out[0] = wasm_i64x2_add(out[0], wasm_i64x2_extmul_low_i32x4(PAIR(q, t), WINDOW(10 - (t)))); \
    out[2] = wasm_i64x2_add(out[2], wasm_i64x2_extmul_high_i32x4(PAIR(q, t), WINDOW(10 - (t)))); \
    out[1] = wasm_i64x2_add(out[1], wasm_i64x2_extmul_low_i32x4(PAIR(q, 1 + (t)), WINDOW(11 - (t)))); \
    out[3] = wasm_i64x2_add(out[3], wasm_i64x2_extmul_high_i32x4(PAIR(q, 1 + (t)), WINDOW(11 - (t)))); \
    out[4] = wasm_i64x2_add(out[4], wasm_i64x2_extmul_low_i32x4(ONE(q, 4 + (t)), WINDOW(14 - (t))))
    STEP(q0, 0); STEP(q1, 1); STEP(q1, 2); STEP(q1, 3); STEP(q1, 4); STEP(q5, 5);
#undef STEP
#undef ONE
#undef PAIR
}
#undef WINDOW

NOINLINE static void simd_mul(fe25519 h, const fe25519 f, const fe25519 g)
{
    v128_t s[5];
    mul_lanes(s, f, g);
    carry_out(h, s);
}

/* The products without the carry chain (not a field element): what the lanes cost alone. */
NOINLINE static void simd_products(fe25519 h, const fe25519 f, const fe25519 g)
{
    v128_t s[5];
    mul_lanes(s, f, g);
    for (int i = 0; i < 5; i++) {
        h[2 * i] = (int32_t) wasm_i64x2_extract_lane(s[i], 0);
        h[2 * i + 1] = (int32_t) wasm_i64x2_extract_lane(s[i], 1);
    }
}

/* Both squares form fe25519_sq's exact sums, so its carries give its limbs. */
NOINLINE static void simd_sq_as_mul(fe25519 h, const fe25519 f)
{
    v128_t s[5];
    mul_lanes(s, f, f);
    carry_out(h, s);
}
NOINLINE static void simd_sq(fe25519 h, const fe25519 f)
{
    v128_t s[5];
    sq_lanes(s, f);
    carry_out(h, s);
}

/* A ge25519_precomp is 30 contiguous int32: seven v128 and one 64-bit half. */
NOINLINE static void simd_cmov3(int32_t t[30], const int32_t u[30], unsigned int b)
{
    const v128_t m = wasm_i32x4_splat(-(int32_t) b);
#pragma clang loop unroll(full)
    for (int i = 0; i < 28; i += 4) {
        wasm_v128_store(t + i, wasm_v128_bitselect(wasm_v128_load(u + i), wasm_v128_load(t + i), m));
    }
    wasm_v128_store64_lane(t + 28, wasm_v128_bitselect(wasm_v128_load64_zero(u + 28),
                                                       wasm_v128_load64_zero(t + 28), m), 0);
}
#endif

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
/* A limb uniform in [-bound, bound]. */
static int32_t limb(int64_t bound)
{
    return (int32_t) ((int64_t) (next() % (uint64_t) (2 * bound + 1)) - bound);
}
/* Reduced: fe25519_mul's output bounds (1.01 * 2^25, 2^24); unreduced: its input
 * preconditions (1.65 * 2^26, 2^25); extreme: every limb at +-the precondition bound. */
static void random_fe(fe25519 f, int kind)
{
    for (int i = 0; i < 10; i++) {
        const int64_t bits = (i & 1) ? 25 : 26;
        const int64_t reduced = ((int64_t) 101 << (bits - 1)) / 100;
        const int64_t unreduced = ((int64_t) 165 << bits) / 100;
        if (kind == 0) {
            f[i] = limb(reduced);
        } else if (kind == 1) {
            f[i] = limb(unreduced);
        } else {
            f[i] = (int32_t) ((next() & 1) ? unreduced : -unreduced);
        }
    }
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

#ifdef __wasm_simd128__
static int check(long n)
{
    long bad = 0;
    for (long k = 0; k < n; k++) {
        fe25519 f, g, a, b;
        random_fe(f, k % 3);
        random_fe(g, (k / 3) % 3);
        ref_mul(a, f, g);
        simd_mul(b, f, g);
        bad += memcmp(a, b, sizeof a) != 0;
        ref_sq(a, f);
        simd_sq(b, f);
        bad += memcmp(a, b, sizeof a) != 0;
        simd_sq_as_mul(b, f);
        bad += memcmp(a, b, sizeof a) != 0;
        int32_t t1[30], t2[30], u[30];
        for (int i = 0; i < 30; i++) {
            t1[i] = t2[i] = (int32_t) next();
            u[i] = (int32_t) next();
        }
        ref_cmov3(t1, u, k & 1);
        simd_cmov3(t2, u, k & 1);
        bad += memcmp(t1, t2, sizeof t1) != 0;
    }
    printf("check: %ld inputs (reduced, unreduced and extreme limbs; mul, sq, cmov): %ld mismatches\n", n, bad);
    return bad != 0;
}
#endif

enum { N = 64, ROUNDS = 7, ITERS = 1000000 };
static fe25519 in[N];
static int32_t table[8][30];
static volatile int32_t sink;

typedef void (*mul_fn)(fe25519, const fe25519, const fe25519);
typedef void (*sq_fn)(fe25519, const fe25519);
typedef void (*cmov_fn)(int32_t *, const int32_t *, unsigned int);

/* Each timing is the minimum over ROUNDS of ITERS dependent calls, in ns per call. */
static double time_mul(mul_fn fn)
{
    double best = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        fe25519 x;
        memcpy(x, in[0], sizeof x);
        const double t0 = now_ns();
        for (int k = 0; k < ITERS; k++) {
            fn(x, x, in[k & (N - 1)]);
        }
        const double dt = (now_ns() - t0) / ITERS;
        sink = x[0];
        best = dt < best ? dt : best;
    }
    return best;
}
/* Independent calls: throughput rather than latency. */
static double time_mul_indep(mul_fn fn)
{
    static fe25519 out[N];
    double best = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        const double t0 = now_ns();
        for (int k = 0; k < ITERS; k++) {
            fn(out[k & (N - 1)], in[k & (N - 1)], in[(k + 1) & (N - 1)]);
        }
        const double dt = (now_ns() - t0) / ITERS;
        sink = out[r][0];
        best = dt < best ? dt : best;
    }
    return best;
}
static double time_sq(sq_fn fn)
{
    double best = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        fe25519 x;
        memcpy(x, in[r], sizeof x);
        const double t0 = now_ns();
        for (int k = 0; k < ITERS; k++) {
            fn(x, x);
        }
        const double dt = (now_ns() - t0) / ITERS;
        sink = x[0];
        best = dt < best ? dt : best;
    }
    return best;
}
/* The table pass of ge25519_cmov8: eight conditional moves, one of them taken. */
static double time_cmov(cmov_fn fn)
{
    double best = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        int32_t t[30] = {0};
        const double t0 = now_ns();
        for (int k = 0; k < ITERS / 8; k++) {
            const unsigned int pick = (unsigned int) (k * 5 + 3) & 7;
            for (unsigned int j = 0; j < 8; j++) {
                fn(t, table[j], j == pick);
            }
        }
        const double dt = (now_ns() - t0) / (ITERS / 8 * 8);
        sink = t[0];
        best = dt < best ? dt : best;
    }
    return best;
}

int main(int argc, char **argv)
{
    const long n_check = argc > 1 ? atol(argv[1]) : 3000000;
    for (int k = 0; k < N; k++) {
        random_fe(in[k], 0);
    }
    for (int j = 0; j < 8; j++) {
        for (int i = 0; i < 30; i++) {
            table[j][i] = (int32_t) next();
        }
    }
#ifdef __wasm_simd128__
    if (check(n_check)) {
        return 1;
    }
    const char *build = "-O2 -msimd128";
#else
    (void) n_check;
    const char *build = "-O2";
#endif
    printf("%-8s %-14s %10s\n", "function", "build", "ns/call");
    printf("%-8s %-14s %10.2f\n", "mul", build, time_mul(ref_mul));
    printf("%-8s %-14s %10.2f\n", "mul-ind", build, time_mul_indep(ref_mul));
    printf("%-8s %-14s %10.2f\n", "sq", build, time_sq(ref_sq));
    printf("%-8s %-14s %10.2f\n", "cmov", build, time_cmov(ref_cmov3));
#ifdef __wasm_simd128__
    printf("%-8s %-14s %10.2f\n", "mul", "SIMD128", time_mul(simd_mul));
    printf("%-8s %-14s %10.2f\n", "mul-ind", "SIMD128", time_mul_indep(simd_mul));
    printf("%-8s %-14s %10.2f\n", "prod-ind", "SIMD128", time_mul_indep(simd_products));
    printf("%-8s %-14s %10.2f\n", "sq", "SIMD128", time_sq(simd_sq));
    printf("%-8s %-14s %10.2f\n", "sq-mul", "SIMD128", time_sq(simd_sq_as_mul));
    printf("%-8s %-14s %10.2f\n", "cmov", "SIMD128", time_cmov(simd_cmov3));
#endif
    return 0;
}
