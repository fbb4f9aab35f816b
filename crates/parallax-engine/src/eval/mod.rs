//! Quality measurement against labelled public data: each submodule computes one published metric exactly.
