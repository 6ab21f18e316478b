// Shape and indexing ops: views, reshapes, joins, splits, gathers and scatters.
#include "common.h"

#include <vector>

namespace {
std::vector<at::Tensor> tensors(const ats_tensor* items, int64_t n) {
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v.push_back(*items[i]);
  return v;
}
}  // namespace

extern "C" {

// Ops taking a list of ints. op: 0 view, 1 reshape, 2 permute, 3 expand, 4 repeat, 5 flip, 6 sum_to_size.
ATS_API int ats_tensor_shape_op(int32_t op, ats_tensor t, const int64_t* values, int64_t n, ats_tensor* out) {
  ATS_TRY
  auto v = ats::dims(values, n);
  switch (op) {
    case 0: *out = ats::wrap(t->view(v)); break;
    case 1: *out = ats::wrap(t->reshape(v)); break;
    case 2: *out = ats::wrap(t->permute(v)); break;
    case 3: *out = ats::wrap(t->expand(v)); break;
    case 4: *out = ats::wrap(t->repeat(v)); break;
    case 5: *out = ats::wrap(t->flip(v)); break;
    case 6: *out = ats::wrap(t->sum_to_size(v)); break;
    default: TORCH_CHECK(false, "unknown shape op ", op);
  }
  ATS_CATCH
}

// Ops taking up to two ints. op: 0 transpose(a, b), 1 flatten(a, b), 2 squeeze(a) (b != 0: all dims),
// 3 unsqueeze(a), 4 contiguous, 5 t, 6 triu(a), 7 tril(a), 8 select(dim a, index b), 9 diag(a), 10 diagonal(a),
// 11 movedim(a, b).
ATS_API int ats_tensor_dim_op(int32_t op, ats_tensor t, int64_t a, int64_t b, ats_tensor* out) {
  ATS_TRY
  switch (op) {
    case 0: *out = ats::wrap(t->transpose(a, b)); break;
    case 1: *out = ats::wrap(t->flatten(a, b)); break;
    case 2: *out = ats::wrap(b != 0 ? t->squeeze() : t->squeeze(a)); break;
    case 3: *out = ats::wrap(t->unsqueeze(a)); break;
    case 4: *out = ats::wrap(t->contiguous()); break;
    case 5: *out = ats::wrap(t->t()); break;
    case 6: *out = ats::wrap(t->triu(a)); break;
    case 7: *out = ats::wrap(t->tril(a)); break;
    case 8: *out = ats::wrap(t->select(a, b)); break;
    case 9: *out = ats::wrap(t->diag(a)); break;
    case 10: *out = ats::wrap(t->diagonal(a)); break;
    case 11: *out = ats::wrap(t->movedim(a, b)); break;
    default: TORCH_CHECK(false, "unknown dim op ", op);
  }
  ATS_CATCH
}

// In-place triu_/tril_ (lower != 0).
ATS_API int ats_tensor_tri_(ats_tensor t, int64_t diagonal, int32_t lower) {
  ATS_TRY if (lower) t->tril_(diagonal); else t->triu_(diagonal); ATS_CATCH
}

// t[..., start:end:step, ...] along `dim` (a view). end may exceed the size, as in Python slicing.
ATS_API int ats_tensor_slice(ats_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step, ats_tensor* out) {
  ATS_RETURN_TENSOR(t->slice(dim, start, end, step))
}

ATS_API int ats_tensor_narrow(ats_tensor t, int64_t dim, int64_t start, int64_t length, ats_tensor* out) {
  ATS_RETURN_TENSOR(t->narrow(dim, start, length))
}

// stack != 0: torch.stack, else torch.cat.
ATS_API int ats_tensor_join(const ats_tensor* items, int64_t n, int64_t dim, int32_t stack, ats_tensor* out) {
  ATS_TRY
  auto v = tensors(items, n);
  *out = ats::wrap(stack ? at::stack(v, dim) : at::cat(v, dim));
  ATS_CATCH
}

// kind: 0 split(sizes[0]), 1 split_with_sizes(sizes), 2 chunk(sizes[0]), 3 unbind. Writes at most `capacity`
// handles to `outs` and their number to `count`.
ATS_API int ats_tensor_split(int32_t kind, ats_tensor t, const int64_t* sizes, int64_t nsizes, int64_t dim,
                             ats_tensor* outs, int64_t capacity, int64_t* count) {
  ATS_TRY
  std::vector<at::Tensor> parts;
  switch (kind) {
    case 0: parts = t->split(sizes[0], dim); break;
    case 1: parts = t->split_with_sizes(ats::dims(sizes, nsizes), dim); break;
    case 2: parts = t->chunk(sizes[0], dim); break;
    case 3: parts = t->unbind(dim); break;
    default: TORCH_CHECK(false, "unknown split kind ", kind);
  }
  TORCH_CHECK(static_cast<int64_t>(parts.size()) <= capacity, "split produced ", parts.size(), " parts, room for ", capacity);
  for (size_t i = 0; i < parts.size(); ++i) outs[i] = ats::wrap(std::move(parts[i]));
  *count = static_cast<int64_t>(parts.size());
  ATS_CATCH
}

ATS_API int ats_tensor_index_select(ats_tensor t, int64_t dim, ats_tensor index, ats_tensor* out) {
  ATS_RETURN_TENSOR(t->index_select(dim, *index))
}

ATS_API int ats_tensor_gather(ats_tensor t, int64_t dim, ats_tensor index, ats_tensor* out) {
  ATS_RETURN_TENSOR(t->gather(dim, *index))
}

// op: 0 scatter_add, 1 index_add (alpha), 2 scatter (src), 3 index_copy. inplace != 0 modifies t and sets no out.
ATS_API int ats_tensor_scatter(int32_t op, ats_tensor t, int64_t dim, ats_tensor index, ats_tensor src, double alpha,
                               int32_t inplace, ats_tensor* out) {
  ATS_TRY
  at::Tensor r = inplace ? *t : t->clone();
  switch (op) {
    case 0: r.scatter_add_(dim, *index, *src); break;
    case 1: r.index_add_(dim, *index, *src, alpha); break;
    case 2: r.scatter_(dim, *index, *src); break;
    case 3: r.index_copy_(dim, *index, *src); break;
    default: TORCH_CHECK(false, "unknown scatter op ", op);
  }
  if (!inplace) *out = ats::wrap(std::move(r));
  ATS_CATCH
}

// Advanced indexing t[i0, i1, ...]; a null index stands for a full slice (`:`).
ATS_API int ats_tensor_index(ats_tensor t, const ats_tensor* indices, int64_t n, ats_tensor* out) {
  ATS_TRY
  c10::List<c10::optional<at::Tensor>> list;
  for (int64_t i = 0; i < n; ++i) list.push_back(ats::opt(indices[i]));
  *out = ats::wrap(at::index(*t, list));
  ATS_CATCH
}

// t[i0, i1, ...] = values (accumulate != 0: +=), in place.
ATS_API int ats_tensor_index_put_(ats_tensor t, const ats_tensor* indices, int64_t n, ats_tensor values, int32_t accumulate) {
  ATS_TRY
  c10::List<c10::optional<at::Tensor>> list;
  for (int64_t i = 0; i < n; ++i) list.push_back(ats::opt(indices[i]));
  t->index_put_(list, *values, accumulate != 0);
  ATS_CATCH
}

ATS_API int ats_tensor_masked_fill(ats_tensor t, ats_tensor mask, double value, int32_t integral, int32_t inplace, ats_tensor* out) {
  ATS_TRY
  if (inplace) t->masked_fill_(*mask, ats::scalar(value, integral));
  else *out = ats::wrap(t->masked_fill(*mask, ats::scalar(value, integral)));
  ATS_CATCH
}

ATS_API int ats_tensor_masked_select(ats_tensor t, ats_tensor mask, ats_tensor* out) {
  ATS_RETURN_TENSOR(t->masked_select(*mask))
}

ATS_API int ats_tensor_where(ats_tensor cond, ats_tensor a, ats_tensor b, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::where(*cond, *a, *b))
}

}  // extern "C"
