// torch.nn.functional: layers, normalisation, pooling, activations with arguments, dropout and losses.
#include "common.h"

namespace {
at::IntArrayRef pair(const int64_t* v) { return at::IntArrayRef(v, 2); }
}  // namespace

extern "C" {

ATS_API int ats_nn_linear(ats_tensor x, ats_tensor w, ats_tensor b, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::linear(*x, *w, ats::opt(b)))
}

// stride, padding and dilation are pairs (h, w).
ATS_API int ats_nn_conv2d(ats_tensor x, ats_tensor w, ats_tensor b, const int64_t* stride, const int64_t* padding,
                          const int64_t* dilation, int64_t groups, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::conv2d(*x, *w, ats::opt(b), pair(stride), pair(padding), pair(dilation), groups))
}

ATS_API int ats_nn_conv_transpose2d(ats_tensor x, ats_tensor w, ats_tensor b, const int64_t* stride,
                                    const int64_t* padding, const int64_t* output_padding, int64_t groups,
                                    const int64_t* dilation, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::conv_transpose2d(*x, *w, ats::opt(b), pair(stride), pair(padding), pair(output_padding), groups,
                                         pair(dilation)))
}

// kind: 0 max_pool2d (dilation used), 1 avg_pool2d (count_include_pad used).
ATS_API int ats_nn_pool2d(int32_t kind, ats_tensor x, const int64_t* kernel, const int64_t* stride,
                          const int64_t* padding, const int64_t* dilation, int32_t ceil_mode, int32_t count_include_pad,
                          ats_tensor* out) {
  ATS_TRY
  if (kind == 0) {
    *out = ats::wrap(at::max_pool2d(*x, pair(kernel), pair(stride), pair(padding), pair(dilation), ceil_mode != 0));
  } else {
    *out = ats::wrap(at::avg_pool2d(*x, pair(kernel), pair(stride), pair(padding), ceil_mode != 0, count_include_pad != 0));
  }
  ATS_CATCH
}

ATS_API int ats_nn_adaptive_avg_pool2d(ats_tensor x, const int64_t* output_size, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::adaptive_avg_pool2d(*x, pair(output_size)))
}

// Updates running_mean/var in place when training (momentum as in torch: new = (1 - m) * old + m * batch).
ATS_API int ats_nn_batch_norm(ats_tensor x, ats_tensor weight, ats_tensor bias, ats_tensor running_mean,
                              ats_tensor running_var, int32_t training, double momentum, double eps, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::batch_norm(*x, ats::opt(weight), ats::opt(bias), ats::opt(running_mean), ats::opt(running_var),
                                   training != 0, momentum, eps, true))
}

ATS_API int ats_nn_layer_norm(ats_tensor x, const int64_t* shape, int64_t ndim, ats_tensor weight, ats_tensor bias,
                              double eps, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::layer_norm(*x, ats::dims(shape, ndim), ats::opt(weight), ats::opt(bias), eps, true))
}

ATS_API int ats_nn_embedding(ats_tensor weight, ats_tensor indices, int64_t padding_idx, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::embedding(*weight, *indices, padding_idx))
}

// Inverted dropout with an explicit generator: keeps each element with probability 1 - p and scales by 1 / (1 - p).
ATS_API int ats_nn_dropout(ats_tensor x, double p, at::Generator* g, ats_tensor* out) {
  ATS_TRY
  TORCH_CHECK(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
  if (p == 0) {
    *out = ats::wrap(*x);
  } else if (p == 1) {
    *out = ats::wrap(*x * 0);
  } else {
    auto mask = at::empty_like(*x, at::MemoryFormat::Contiguous).bernoulli_(1 - p, ats::gen(g));
    *out = ats::wrap(*x * mask.div_(1 - p));
  }
  ATS_CATCH
}

// kind: 0 softmax, 1 log_softmax; dtype < 0: the input's.
ATS_API int ats_nn_softmax(int32_t kind, ats_tensor x, int64_t dim, int32_t dtype, ats_tensor* out) {
  ATS_RETURN_TENSOR(kind == 0 ? at::softmax(*x, dim, ats::opt_dtype(dtype)) : at::log_softmax(*x, dim, ats::opt_dtype(dtype)))
}

// reduction: 0 none, 1 mean, 2 sum (at::Reduction). target holds class indices or class probabilities.
ATS_API int ats_nn_cross_entropy(ats_tensor logits, ats_tensor target, ats_tensor weight, int64_t reduction,
                                 int64_t ignore_index, double label_smoothing, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::cross_entropy_loss(*logits, *target, ats::opt(weight), reduction, ignore_index, label_smoothing))
}

ATS_API int ats_nn_nll_loss(ats_tensor log_probs, ats_tensor target, ats_tensor weight, int64_t reduction,
                            int64_t ignore_index, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::nll_loss_nd(*log_probs, *target, ats::opt(weight), reduction, ignore_index))
}

ATS_API int ats_nn_bce_with_logits(ats_tensor logits, ats_tensor target, ats_tensor weight, ats_tensor pos_weight,
                                   int64_t reduction, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::binary_cross_entropy_with_logits(*logits, *target, ats::opt(weight), ats::opt(pos_weight), reduction))
}

// kind: 0 mse, 1 l1, 2 smooth_l1 (beta), 3 huber (delta = beta).
ATS_API int ats_nn_regression_loss(int32_t kind, ats_tensor x, ats_tensor y, int64_t reduction, double beta, ats_tensor* out) {
  ATS_TRY
  switch (kind) {
    case 0: *out = ats::wrap(at::mse_loss(*x, *y, reduction)); break;
    case 1: *out = ats::wrap(at::l1_loss(*x, *y, reduction)); break;
    case 2: *out = ats::wrap(at::smooth_l1_loss(*x, *y, reduction, beta)); break;
    case 3: *out = ats::wrap(at::huber_loss(*x, *y, reduction, beta)); break;
    default: TORCH_CHECK(false, "unknown regression loss ", kind);
  }
  ATS_CATCH
}

// Constant padding: pads are (left, right) pairs starting from the last dim, as torch.nn.functional.pad.
ATS_API int ats_nn_pad(ats_tensor x, const int64_t* pads, int64_t n, double value, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::constant_pad_nd(*x, ats::dims(pads, n), value))
}

// Nearest (mode 0) or bilinear (mode 1, align_corners) upsampling of NCHW input to (h, w).
ATS_API int ats_nn_upsample2d(ats_tensor x, const int64_t* size, int32_t mode, int32_t align_corners, ats_tensor* out) {
  ATS_TRY
  if (mode == 0) *out = ats::wrap(at::upsample_nearest2d(*x, pair(size)));
  else *out = ats::wrap(at::upsample_bilinear2d(*x, pair(size), align_corners != 0));
  ATS_CATCH
}

ATS_API int ats_nn_leaky_relu(ats_tensor x, double slope, ats_tensor* out) { ATS_RETURN_TENSOR(at::leaky_relu(*x, slope)) }

}  // extern "C"
