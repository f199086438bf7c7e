/*
** hi_report.h: the tables and plot of `mote hi-eval`: one row per
** operating point (local-only, remote-only, each rule at each threshold,
** the online rule), written as CSV, JSON and an SVG plot of accuracy
** against the fraction offloaded; and the device energy profiles used for
** the per-sample energy estimates.
*/
#ifndef MOTE_HI_REPORT_H
#define MOTE_HI_REPORT_H

#include <stddef.h>
#include <stdio.h>

/*
** A device profile for energy estimates. Every figure is an estimate from
** public datasheet values (see `source`), not a measurement:
**   energy per sample = macs * mac_nj                      (local compute)
**     + offloaded * (tx_bytes * tx_nj_per_byte + rx_bytes * rx_nj_per_byte
**                    + wait_mw * (remote latency + link_rtt_ms))
** (mW x ms = uJ).
*/
typedef struct hi_profile {
  const char *name;
  double mac_nj;         /* energy per int8 multiply-accumulate, nJ */
  double tx_nj_per_byte; /* radio transmit energy per payload byte, nJ */
  double rx_nj_per_byte; /* radio receive energy per payload byte, nJ */
  double wait_mw;        /* power while waiting for the answer, mW */
  double link_rtt_ms;    /* round trip added by the radio link, ms */
  const char *source;
} hi_profile;

/* The built-in profiles; NULL-terminated by name. */
const hi_profile *hi_profiles(void);

/* Profile by name, NULL if unknown. */
const hi_profile *hi_profile_find(const char *name);

/* One operating point. */
typedef struct hi_row {
  char rule[16];         /* local, remote, maxprob, margin, entropy, logreg,
                            online */
  double threshold;      /* -1 when not applicable */
  double accuracy;       /* fraction of correct answers */
  double offloaded;      /* fraction of samples offloaded */
  double bytes;          /* bytes sent + received per sample (mean) */
  double p50_us, p99_us; /* latency per sample */
  double energy_uj;      /* estimated device energy per sample */
} hi_row;

/* Write the rows as CSV (header line first). Returns 0 or -1. */
int hi_write_csv(FILE *f, const hi_row *rows, size_t n);

/* Write {"profile": ..., "rows": [...]} plus summary fields. */
int hi_write_json(FILE *f, const hi_row *rows, size_t n, const hi_profile *p,
                  const char *summary_json);

/* Write the SVG plot: accuracy vs fraction offloaded, one line per rule,
 * the local-only and remote-only accuracies as dashed lines, the online
 * rule as a point. Returns 0 or -1. */
int hi_write_svg(FILE *f, const hi_row *rows, size_t n, const char *title);

/* p-th percentile (0..100) of v[0..n) (sorts v). */
double hi_percentile(double *v, size_t n, double p);

#endif
