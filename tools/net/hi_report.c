/*
** hi_report.c: CSV, JSON and SVG output of `mote hi-eval` and the device
** energy profiles (see hi_report.h).
*/
#include "hi_report.h"

#include <stdlib.h>
#include <string.h>

/*
** Sources (estimates, typical datasheet values at 3.3 V):
** - Cortex-M4F: STM32L4 run mode about 100 uA/MHz (about 26 mW at 80 MHz);
**   int8 CMSIS-NN-class kernels reach about 0.5 MAC/cycle, so about 0.65
**   nJ per MAC.
** - Wi-Fi 802.11n (ESP32-class module): TX about 240 mA, RX about 100 mA
**   at an effective 5 Mbit/s for small packets: about 1.3 uJ/byte TX,
**   0.5 uJ/byte RX; about 100 mA (330 mW) listening while waiting; ~5 ms
**   link round trip.
** - BLE 5 (nRF52840-class): TX 0 dBm about 4.8 mA, RX about 4.6 mA at an
**   effective 700 kbit/s: about 0.18 uJ/byte TX and RX; waiting with the
**   connection open about 1 mW average; ~30 ms round trip (two connection
**   intervals of 15 ms).
*/
static const hi_profile profiles[] = {
    {"cortex-m4-wifi", 0.65, 1300.0, 500.0, 330.0, 5.0,
     "estimate: STM32L4 100 uA/MHz @80 MHz, 0.5 MAC/cycle; ESP32-class "
     "Wi-Fi TX 240 mA / RX 100 mA @3.3 V, 5 Mbit/s effective, 5 ms RTT"},
    {"cortex-m4-ble", 0.65, 180.0, 180.0, 1.0, 30.0,
     "estimate: STM32L4 100 uA/MHz @80 MHz, 0.5 MAC/cycle; nRF52840-class "
     "BLE TX 4.8 mA / RX 4.6 mA @3 V, 700 kbit/s effective, 30 ms RTT"},
    {NULL, 0, 0, 0, 0, 0, NULL}};

const hi_profile *hi_profiles(void) {
  return profiles;
}

const hi_profile *hi_profile_find(const char *name) {
  for (const hi_profile *p = profiles; p->name; p++)
    if (strcmp(p->name, name) == 0) return p;
  return NULL;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double hi_percentile(double *v, size_t n, double p) {
  if (n == 0) return 0.0;
  qsort(v, n, sizeof *v, cmp_d);
  size_t k = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
  return v[k < n ? k : n - 1];
}

int hi_write_csv(FILE *f, const hi_row *r, size_t n) {
  fprintf(f,
          "rule,threshold,accuracy,offloaded,bytes_per_sample,p50_us,p99_us,"
          "energy_uj_estimate\n");
  for (size_t i = 0; i < n; i++)
    fprintf(f, "%s,%.4f,%.4f,%.4f,%.1f,%.1f,%.1f,%.3f\n", r[i].rule,
            r[i].threshold, r[i].accuracy, r[i].offloaded, r[i].bytes,
            r[i].p50_us, r[i].p99_us, r[i].energy_uj);
  return ferror(f) ? -1 : 0;
}

int hi_write_json(FILE *f, const hi_row *r, size_t n, const hi_profile *p,
                  const char *summary) {
  fprintf(f,
          "{\n  \"profile\": {\"name\": \"%s\", \"mac_nj\": %g, "
          "\"tx_nj_per_byte\": %g, \"rx_nj_per_byte\": %g, \"wait_mw\": %g, "
          "\"link_rtt_ms\": %g, \"source\": \"%s\"},\n",
          p->name, p->mac_nj, p->tx_nj_per_byte, p->rx_nj_per_byte, p->wait_mw,
          p->link_rtt_ms, p->source);
  if (summary) fprintf(f, "  \"summary\": %s,\n", summary);
  fprintf(f, "  \"rows\": [\n");
  for (size_t i = 0; i < n; i++)
    fprintf(f,
            "    {\"rule\": \"%s\", \"threshold\": %.4f, \"accuracy\": %.4f, "
            "\"offloaded\": %.4f, \"bytes_per_sample\": %.1f, \"p50_us\": "
            "%.1f, \"p99_us\": %.1f, \"energy_uj_estimate\": %.3f}%s\n",
            r[i].rule, r[i].threshold, r[i].accuracy, r[i].offloaded,
            r[i].bytes, r[i].p50_us, r[i].p99_us, r[i].energy_uj,
            i + 1 < n ? "," : "");
  fprintf(f, "  ]\n}\n");
  return ferror(f) ? -1 : 0;
}

/* Plot area (SVG user units). */
#define SX0 70.0
#define SX1 610.0
#define SY0 40.0
#define SY1 380.0

static double px(double off) {
  return SX0 + off * (SX1 - SX0);
}

static double py(double acc, double lo, double hi) {
  return SY1 - (acc - lo) / (hi - lo) * (SY1 - SY0);
}

/* A dashed horizontal line at height y across the plot, labelled
 * "WHO only" on the right. */
static void ref_line(FILE *f, double y, const char *colour, const char *who) {
  fprintf(f,
          "<line x1=\"%g\" y1=\"%.1f\" x2=\"%g\" y2=\"%.1f\" stroke=\"%s\" "
          "stroke-dasharray=\"4 3\"/><text x=\"%g\" y=\"%.1f\">%s "
          "only</text>\n",
          SX0, y, SX1, y, colour, SX1 + 6, y + 4, who);
}

int hi_write_svg(FILE *f, const hi_row *r, size_t n, const char *title) {
  static const char *rules[] = {"maxprob", "margin", "entropy", "logreg"};
  static const char *colors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"};
  double lo = 1.0, hi = 0.0, local = -1, remote = -1;
  for (size_t i = 0; i < n; i++) {
    if (r[i].accuracy < lo) lo = r[i].accuracy;
    if (r[i].accuracy > hi) hi = r[i].accuracy;
    if (strcmp(r[i].rule, "local") == 0) local = r[i].accuracy;
    if (strcmp(r[i].rule, "remote") == 0) remote = r[i].accuracy;
  }
  lo = (double)(int)(lo * 50.0) / 50.0; /* round down to 2% */
  hi = (double)(int)(hi * 50.0 + 1.0) / 50.0;
  if (hi <= lo) hi = lo + 0.02;
  fprintf(f,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" "
          "height=\"440\" font-family=\"sans-serif\" font-size=\"12\">\n"
          "<rect width=\"760\" height=\"440\" fill=\"white\"/>\n"
          "<text x=\"%g\" y=\"22\" font-size=\"14\">%s</text>\n",
          SX0, title);
  /* axes and grid */
  for (int k = 0; k <= 10; k++) {
    double x = px(k / 10.0);
    fprintf(f,
            "<line x1=\"%.1f\" y1=\"%g\" x2=\"%.1f\" y2=\"%g\" "
            "stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%g\" "
            "text-anchor=\"middle\">%d%%</text>\n",
            x, SY0, x, SY1, x, SY1 + 16, k * 10);
  }
  int steps = (int)((hi - lo) * 100.0 + 0.5);
  int every = steps > 20 ? 5 : steps > 10 ? 2 : 1;
  for (int k = 0; k <= steps; k += every) {
    double a = lo + k / 100.0, y = py(a, lo, hi);
    fprintf(f,
            "<line x1=\"%g\" y1=\"%.1f\" x2=\"%g\" y2=\"%.1f\" "
            "stroke=\"#ddd\"/><text x=\"%g\" y=\"%.1f\" "
            "text-anchor=\"end\">%.0f%%</text>\n",
            SX0, y, SX1, y, SX0 - 6, y + 4, a * 100.0);
  }
  fprintf(f,
          "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"none\" "
          "stroke=\"black\"/>\n"
          "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">fraction "
          "offloaded</text>\n"
          "<text transform=\"translate(18 %g) rotate(-90)\" "
          "text-anchor=\"middle\">accuracy</text>\n",
          SX0, SY0, SX1 - SX0, SY1 - SY0, (SX0 + SX1) / 2, SY1 + 36,
          (SY0 + SY1) / 2);
  if (local >= 0) ref_line(f, py(local, lo, hi), "#888", "local");
  if (remote >= 0) ref_line(f, py(remote, lo, hi), "#000", "remote");
  for (int k = 0; k < 4; k++) {
    int any = 0;
    for (size_t i = 0; i < n; i++) {
      if (strcmp(r[i].rule, rules[k]) != 0) continue;
      fprintf(
          f, "%s%.1f,%.1f",
          any ? " " : "<polyline fill=\"none\" stroke-width=\"1.5\" points=\"",
          px(r[i].offloaded), py(r[i].accuracy, lo, hi));
      any = 1;
    }
    if (any) fprintf(f, "\" stroke=\"%s\"/>\n", colors[k]);
    fprintf(f,
            "<line x1=\"%g\" y1=\"%d\" x2=\"%g\" y2=\"%d\" stroke=\"%s\" "
            "stroke-width=\"2\"/><text x=\"%g\" y=\"%d\">%s</text>\n",
            SX1 - 120, 230 + 18 * k + 30, SX1 - 100, 230 + 18 * k + 30,
            colors[k], SX1 - 94, 234 + 18 * k + 30, rules[k]);
  }
  for (size_t i = 0; i < n; i++)
    if (strcmp(r[i].rule, "online") == 0)
      fprintf(f,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#d62728\"/>"
              "<text x=\"%.1f\" y=\"%.1f\">online (t=%.2f)</text>\n",
              px(r[i].offloaded), py(r[i].accuracy, lo, hi),
              px(r[i].offloaded) + 8, py(r[i].accuracy, lo, hi) + 16,
              r[i].threshold);
  fprintf(f, "</svg>\n");
  return ferror(f) ? -1 : 0;
}
