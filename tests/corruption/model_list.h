/* model_list.h: the public models the corruption tests walk over. */
#ifndef MOTE_TEST_MODEL_LIST_H
#define MOTE_TEST_MODEL_LIST_H

static const char *const kModels[] = {
    "tflm/hello_world_int8.tflite",
    "tflm/hello_world_float.tflite",
    "tflm/micro_speech_quantized.tflite",
    "tflm/person_detect.tflite",
    "mlperf_tiny/kws_ref_model.tflite",
    "mlperf_tiny/kws_ref_model_float32.tflite",
    "mlperf_tiny/ad01_int8.tflite",
    "mlperf_tiny/ad01_fp32.tflite",
    "mlperf_tiny/vww_96_int8.tflite",
    "mlperf_tiny/vww_96_float.tflite",
    "mlperf_tiny/pretrainedResnet_quant.tflite",
    "mlperf_tiny/pretrainedResnet.tflite",
};
#define N_MODELS (sizeof kModels / sizeof kModels[0])

#endif
