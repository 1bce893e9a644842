# Minimal JSON writer for the reference scripts (no jsonlite on the build machines).
# Doubles are printed with sprintf("%.17g") so they parse to the exact R doubles;
# NA / NaN / Inf are written as null. A(x) forces a JSON array even for length 1.

A <- function(x) structure(list(x), class = "json_array")

json_str <- function(s) {
  s <- gsub("\\\\", "\\\\\\\\", s)
  s <- gsub("\"", "\\\\\"", s)
  s <- gsub("\n", "\\\\n", s)
  s <- gsub("\t", "\\\\t", s)
  paste0("\"", s, "\"")
}

json_scalar <- function(v) {
  if (is.null(v) || length(v) == 0) return("null")
  if (is.character(v)) return(if (is.na(v)) "null" else json_str(v))
  if (is.logical(v)) return(if (is.na(v)) "null" else if (v) "true" else "false")
  if (is.na(v) || !is.finite(v)) return("null")
  if (is.integer(v)) return(sprintf("%d", v))
  sprintf("%.17g", v)
}

to_json <- function(x, ind = "") {
  nxt <- paste0(ind, "  ")
  if (inherits(x, "json_array")) {
    v <- x[[1]]
    if (length(v) == 0) return("[]")
    return(paste0("[", paste(vapply(seq_along(v), function(i) json_scalar(v[i]), ""),
                             collapse = ", "), "]"))
  }
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    if (!is.null(names(x))) {
      items <- vapply(seq_along(x), function(i)
        paste0(nxt, json_str(names(x)[i]), ": ", to_json(x[[i]], nxt)), "")
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", ind, "}"))
    }
    items <- vapply(x, function(e) paste0(nxt, to_json(e, nxt)), "")
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", ind, "]"))
  }
  if (length(x) == 1) return(json_scalar(x))
  to_json(A(x), ind)
}
