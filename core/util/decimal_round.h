// Rounding doubles to a number of decimal places, in the two ways the PCS contract needs.
#pragma once

namespace flk {

// Python's round(x, places): the exact binary value rounded half-to-even (what the reference
// agent applies to D_hat, coh_star, r and budget when it computes them). places >= 0.
double round_exact(double x, int places);

// The signature payload's rule (spec §3.2): take the shortest round-trip decimal of x, round
// that decimal to `places` fractional digits with ties away from zero, read it back.
double round_repr_half_up(double x, int places);

}  // namespace flk
