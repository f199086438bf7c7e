/* QEMU TCG plugin (API v1, declared here: Debian ships no qemu-plugin.h)
** that counts guest instructions exactly, for cross-checking bench/mcu.sh's
** SysTick counts. Every instruction adds 1 to a counter inline; the
** instructions at addresses begin= and end= snapshot it, and at exit the
** plugin prints the instructions executed from the last `begin` up to the
** last `end` (begin included, end excluded) and the total.
**   gcc -shared -fPIC -O2 -o insn_plugin.so insn_plugin.c
**   qemu-system-arm ... -icount shift=0 \
**     -plugin ./insn_plugin.so,begin=0x1234,end=0x1240 -d plugin
*/
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the subset of QEMU 7.2's qemu-plugin.h (API version 1) ---- */
typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_cb_flags {
  QEMU_PLUGIN_CB_NO_REGS,
  QEMU_PLUGIN_CB_R_REGS,
  QEMU_PLUGIN_CB_RW_REGS,
};
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
                                               struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index,
                                            void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                           qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(
    const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags,
                                            void *userdata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
                                                enum qemu_plugin_op op,
                                                void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
                                    qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_outs(const char *string);
/* ---- end of the API subset ---- */

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t count, at_begin, at_end, n_begin, n_end;
static uint64_t addr_begin = UINT64_MAX, addr_end = UINT64_MAX;

static void on_begin(unsigned int vcpu, void *u) {
  (void)vcpu;
  (void)u;
  at_begin = count;
  n_begin++;
}

static void on_end(unsigned int vcpu, void *u) {
  (void)vcpu;
  (void)u;
  at_end = count;
  n_end++;
}

static void on_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t va = qemu_plugin_insn_vaddr(insn);
    /* Callbacks run in registration order: snapshot before the add. */
    if (va == addr_begin) {
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_begin,
                                             QEMU_PLUGIN_CB_NO_REGS, NULL);
    }
    if (va == addr_end) {
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_end,
                                             QEMU_PLUGIN_CB_NO_REGS, NULL);
    }
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
                                               &count, 1);
  }
}

static void on_exit_cb(qemu_plugin_id_t id, void *u) {
  (void)id;
  (void)u;
  char buf[200];
  snprintf(buf, sizeof buf,
           "insn_plugin: total=%" PRIu64 " begin_hits=%" PRIu64
           " end_hits=%" PRIu64 " between=%" PRIu64 "\n",
           count, n_begin, n_end, at_end - at_begin);
  qemu_plugin_outs(buf);
}

__attribute__((visibility("default"))) int qemu_plugin_install(
    qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
  (void)info;
  for (int i = 0; i < argc; i++) {
    if (strncmp(argv[i], "begin=", 6) == 0) {
      addr_begin = strtoull(argv[i] + 6, NULL, 0);
    } else if (strncmp(argv[i], "end=", 4) == 0) {
      addr_end = strtoull(argv[i] + 4, NULL, 0);
    }
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_trans);
  qemu_plugin_register_atexit_cb(id, on_exit_cb, NULL);
  return 0;
}
