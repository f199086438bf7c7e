/*
** test_train_spec.c: spec strings: shapes, parameter and MAC counts of the
** issue's architectures (PyTorch's counts), and clear parse errors.
*/
#include <string.h>

#include "train/train.h"
#include "tt.h"

static void good(const char *spec, size_t params, uint64_t macs) {
  char err[256] = "";
  tr_net *net = tr_net_new(spec, 28, 28, 1, 1, err, sizeof err);
  CHECK(net != NULL, "%s: %s", spec, err);
  if (!net) return;
  CHECK(tr_net_param_count(net) == params, "%s: params %zu, want %zu", spec,
        tr_net_param_count(net), params);
  CHECK(tr_net_macs(net) == macs, "%s: MACs %llu, want %llu", spec,
        (unsigned long long)tr_net_macs(net), (unsigned long long)macs);
  tr_net_free(net);
}

static void bad(const char *spec, const char *want) {
  char err[256] = "";
  tr_net *net = tr_net_new(spec, 28, 28, 1, 1, err, sizeof err);
  CHECK(net == NULL, "%s: accepted", spec);
  CHECK(strstr(err, want) != NULL, "%s: error '%s' lacks '%s'", spec, err,
        want);
  tr_net_free(net);
}

int main(void) {
  good("fc:128,relu,fc:10", 101770, 101632);
  good("conv3x3:8,relu,maxpool2,conv3x3:16,relu,maxpool2,fc:10", 5258, 192064);
  good("conv3x3:16,relu,maxpool2,conv3x3:32,relu,maxpool2,fc:64,relu,fc:10",
       56714, 706752);
  good(
      "conv3x3:32:same,bn,relu,conv3x3:32:same,bn,relu,maxpool2,"
      "conv3x3:64:same,bn,relu,conv3x3:64:same,bn,relu,maxpool2,fc:256,relu,"
      "dropout:0.3,fc:10",
      871018, 19094528);
  good("conv3x3:8:same:s2,dw3x3:same,relu6,gap,fc:10", 80 + 80 + 90,
       14 * 14 * 72 + 14 * 14 * 72 + 80);
  bad("", "empty spec");
  bad("conv3x3,fc:10", "layer 1 'conv3x3': expected conv3x3:C");
  bad("conv3x4:8,fc:10", "square kernel");
  bad("fc:10,,fc:10", "layer 2: empty");
  bad("fc:0", "expected fc:N");
  bad("conv3x3:8:sam,fc:10", "unknown option ':sam'");
  bad("relu,bn,fc:10", "layer 2 'bn': bn must directly follow");
  bad("dropout:1.5,fc:10", "expected dropout:P");
  bad("pool2,fc:10", "layer 1 'pool2': unknown layer");
  bad("conv3x3:8,relu", "last layer must be fc");
  bad("conv29x29:4,fc:10", "square kernel, K in 1..15");
  bad("conv15x15:4,conv15x15:4,fc:10", "layer 2 'conv15x15:4': input 14x14");
  bad("maxpool2,maxpool2,maxpool2,maxpool2,maxpool2,fc:10",
      "too small to pool");
  return tt_done("test_train_spec");
}
