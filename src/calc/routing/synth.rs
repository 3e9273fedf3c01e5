//! Synthetic leads (filled in below).
