/*
** mote_hi.h: hierarchical inference on the device. The local model
** answers; when it is unsure, the input is offloaded to a bigger remote
** model through a transport callback the application provides.
**
** Part of the runtime: C99, no malloc, no I/O, no globals. All state is in
** a mote_hi struct and, for the online rule, a small float array owned by
** the caller.
**
** Confidence scores, computed from the local model's output (int8, uint8,
** int16 or float32, dequantized with the tensor's scale; probabilities or
** logits, see mote_hi_kind):
**   MAXPROB  c = p1 (top-1 probability)
**   MARGIN   c = p1 - p2
**   ENTROPY  c = 1 - H(p) / ln(C)   (normalised entropy, C classes)
**   LOGREG   c = sigmoid(w0 + w1*p1 + w2*p2): the estimated probability
**            that the local answer is right (Behera et al. 2024); weights
**            from the user or fitted offline with mote_hi_logreg_fit()
**   ONLINE   c = p1, with the threshold learned online (below)
** The sample is answered locally when c >= threshold, else offloaded.
**
** Online rule (Hedge / exponential weights, after Moothedath, Champati and
** Gross): K experts, expert k uses threshold t_k = k / (K - 1) on p1. The
** cost model: offloading costs `offload_cost` (beta, in units of one local
** error), a local answer costs 1 when it is wrong and 0 when right. Each
** sample draws an expert from the weights (xorshift32 PRNG seeded by the
** config: deterministic) and follows it; a sample it would answer locally
** is still offloaded with probability `explore` so that the learner keeps
** seeing whether local answers are right. The remote answer is taken as
** the truth. After each sample, experts that would have offloaded get loss
** beta (always known); experts that would have answered locally get the
** importance-weighted error 1{local != remote} / P(offload) when the sample
** was offloaded and 0 otherwise (an unbiased estimate). w_k *= exp(-eta *
** loss_k), then the weights are rescaled so the largest is 1. Memory: K
** floats (caller's array, K <= MOTE_HI_MAX_EXPERTS) plus this struct; work
** per sample: O(K), with K a fixed constant (no growth with the number of
** samples).
*/
#ifndef MOTE_HI_H
#define MOTE_HI_H

#include <stddef.h>
#include <stdint.h>

#include "mote_status.h"
#include "mote_tensor.h"

#define MOTE_HI_MAX_EXPERTS 256u

/* Which score decides. */
typedef enum mote_hi_rule {
  MOTE_HI_MAXPROB = 0,
  MOTE_HI_MARGIN = 1,
  MOTE_HI_ENTROPY = 2,
  MOTE_HI_LOGREG = 3,
  MOTE_HI_ONLINE = 4
} mote_hi_rule;

/* What the model's output holds. */
typedef enum mote_hi_kind {
  MOTE_HI_PROBS = 0, /* probabilities (softmax output) */
  MOTE_HI_LOGITS = 1 /* unnormalised scores: softmax is applied */
} mote_hi_kind;

/* Transport results (return values of a mote_hi_transport). */
typedef enum mote_hi_tstatus {
  MOTE_HI_T_OK = 0,
  MOTE_HI_T_ERROR = 1,    /* connection, protocol or server error */
  MOTE_HI_T_TIMEOUT = 2,  /* no answer before the deadline */
  MOTE_HI_T_BAD_REPLY = 3 /* answer of the wrong shape or type */
} mote_hi_tstatus;

/*
** The application's transport: send `input` (its bytes, type and shape)
** to the remote model and write the remote output, as floats of the same
** kind as the local output (probabilities or logits), into out[0..cap).
** Set *n to the number of values written. Must return within deadline_ms
** (the transport enforces it). Returns a mote_hi_tstatus value; any value
** other than MOTE_HI_T_OK, or *n different from the local class count,
** makes the decision fall back to the local answer.
*/
typedef int (*mote_hi_transport)(void *user, const mote_tensor *input,
                                 float *out, size_t cap, size_t *n,
                                 uint32_t deadline_ms);

/* Top-2 probabilities and the scores derived from them. */
typedef struct mote_hi_scores {
  uint32_t classes;
  uint32_t top1, top2; /* class indices */
  float p1, p2;        /* their probabilities */
  float margin;        /* p1 - p2 */
  float entropy;       /* normalised entropy in [0, 1] */
} mote_hi_scores;

/* Configuration; start from mote_hi_config_default(). */
typedef struct mote_hi_config {
  mote_hi_rule rule;
  mote_hi_kind kind;   /* of the local output (and the remote output) */
  float threshold;     /* answer locally when confidence >= threshold */
  float logreg[3];     /* LOGREG: bias, weight of p1, weight of p2 */
  uint32_t timeout_ms; /* deadline passed to the transport */
  float *weights;      /* ONLINE: caller's array of K floats */
  uint32_t nweights;   /* K, 2 <= K <= MOTE_HI_MAX_EXPERTS */
  float eta;           /* ONLINE: learning rate (default 0.05) */
  float explore;       /* ONLINE: exploration probability (0.05) */
  float offload_cost;  /* ONLINE: beta, cost of an offload (0.2) */
  uint32_t seed;       /* ONLINE: PRNG seed (nonzero) */
} mote_hi_config;

/* Counters since mote_hi_init(). */
typedef struct mote_hi_counters {
  uint32_t samples;
  uint32_t local;         /* answered locally by decision */
  uint32_t offloaded;     /* decision was offload (incl. exploration) */
  uint32_t explored;      /* offloads forced by exploration */
  uint32_t remote_ok;     /* offloads answered by the remote */
  uint32_t remote_failed; /* offloads that fell back to the local answer */
  uint32_t failed_error, failed_timeout, failed_bad_reply;
  uint32_t agree, disagree; /* local vs remote top-1 on remote_ok */
} mote_hi_counters;

/* Where the final answer came from. */
typedef enum mote_hi_source {
  MOTE_HI_FROM_LOCAL = 0,   /* decided locally */
  MOTE_HI_FROM_REMOTE = 1,  /* offloaded, remote answered */
  MOTE_HI_FROM_FALLBACK = 2 /* offloaded, remote failed: local answer */
} mote_hi_source;

/* Result of one mote_hi_step(). */
typedef struct mote_hi_result {
  uint32_t label;        /* final answer */
  uint32_t local_label;  /* local top-1 */
  uint32_t remote_label; /* remote top-1 (valid when source is REMOTE) */
  float confidence;      /* the rule's score */
  mote_hi_source source;
  int transport_status; /* mote_hi_tstatus of the offload (0 if none) */
} mote_hi_result;

/* Decision state. Treat as opaque. */
typedef struct mote_hi {
  mote_hi_config cfg;
  mote_hi_counters cnt;
  uint32_t rng;
  float last_conf; /* p1 of the last decided sample */
  float last_pobs; /* P(offload) of the last decision (ONLINE) */
  float *remote;   /* scratch for the remote output */
  size_t remote_cap;
} mote_hi;

/* A config with rule MAXPROB, kind PROBS, threshold 0.5, timeout 200 ms,
 * logreg (0, 1, 0), eta 0.05, explore 0.05, offload_cost 0.2, seed 1. */
mote_hi_config mote_hi_config_default(void);

/*
** Initialise h from cfg. `remote` is scratch for the remote output (at
** least as many floats as the model has classes). For ONLINE the weights
** array is set to uniform. Returns MOTE_E_ARG on a bad config.
*/
mote_status mote_hi_init(mote_hi *h, const mote_hi_config *cfg, float *remote,
                         size_t remote_cap);

/*
** Scores of n output values v (probabilities or logits). n >= 2. Returns
** MOTE_E_ARG for n < 2 or NULL pointers.
*/
mote_status mote_hi_scores_f32(const float *v, size_t n, mote_hi_kind kind,
                               mote_hi_scores *s);

/* Scores of an output tensor view (float32, int8, uint8 or int16). */
mote_status mote_hi_scores_tensor(const mote_tensor *out, mote_hi_kind kind,
                                  mote_hi_scores *s);

/* The configured rule's confidence for s (see the file comment). */
float mote_hi_confidence(const mote_hi *h, const mote_hi_scores *s);

/*
** Decide for one sample: returns 1 to offload, 0 to answer locally.
** Counts the sample. For ONLINE it draws an expert (and maybe explores);
** call mote_hi_feedback() after an offload that got an answer.
*/
int mote_hi_decide(mote_hi *h, const mote_hi_scores *s);

/*
** ONLINE: update the weights after the last mote_hi_decide() with the
** remote answer's top-1 (remote_ok 1) or with no answer (remote_ok 0:
** only the always-known offload losses are applied). Other rules: no-op.
*/
void mote_hi_feedback(mote_hi *h, const mote_hi_scores *local,
                      uint32_t remote_label, int remote_ok);

/*
** One full step, after the local model ran: scores of local_out, decision,
*offload of `input` through
** tp (when decided) with the configured deadline, fallback to the local
** answer on any transport failure or wrong-sized reply, counters and the
** online update. `input` must still hold the sample: the arena may reuse
** the model input's memory during invoke, so pass a view of a copy taken
** before mote_model_invoke() (same type, shape and quantization). Returns
** MOTE_OK or MOTE_E_ARG (bad arguments, output of an unsupported type).
*/
mote_status mote_hi_step(mote_hi *h, const mote_tensor *input,
                         const mote_tensor *local_out, mote_hi_transport tp,
                         void *user, mote_hi_result *r);

/* The counters so far. */
const mote_hi_counters *mote_hi_get_counters(const mote_hi *h);

/* ONLINE: the weighted mean threshold (the learner's current estimate);
 * other rules: the configured threshold. */
float mote_hi_threshold(const mote_hi *h);

/* ONLINE: threshold of the heaviest expert. Other rules: configured. */
float mote_hi_best_threshold(const mote_hi *h);

/*
** Fit the LOGREG weights offline: logistic regression of correct[i] (1 if
** the local answer was right) on (p1[i], p2[i]) by full-batch gradient
** descent, `iters` steps of rate `lr`, starting from w. O(n * iters) work,
** no memory beyond w.
*/
mote_status mote_hi_logreg_fit(const float *p1, const float *p2,
                               const uint8_t *correct, size_t n, uint32_t iters,
                               float lr, float w[3]);

/* Short name of a rule ("maxprob", "margin", "entropy", "logreg",
 * "online"); never NULL. */
const char *mote_hi_rule_name(mote_hi_rule r);

#endif
