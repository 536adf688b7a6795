resource "aws_s3_bucket" "audio" {
  bucket        = var.bucket
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "audio" {
  bucket                  = aws_s3_bucket.audio.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "audio" {
  bucket = aws_s3_bucket.audio.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Beam leaves multipart uploads of a killed attempt behind; they cost storage until aborted.
resource "aws_s3_bucket_lifecycle_configuration" "audio" {
  bucket = aws_s3_bucket.audio.id
  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
  }
}

locals {
  written_prefixes = compact([var.output_prefix, var.stems_prefix])
}

# Least privilege for the job: list and read the input; list, read, write and delete the output (and stems).
data "aws_iam_policy_document" "job" {
  statement {
    sid       = "ListInputAndOutput"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.audio.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [for p in concat([var.input_prefix], local.written_prefixes) : "${p}*"]
    }
  }
  statement {
    sid       = "ReadInput"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.audio.arn}/${var.input_prefix}*"]
  }
  statement {
    sid = "ReadWriteOutput"
    actions = [
      "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts",
    ]
    resources = [for p in local.written_prefixes : "${aws_s3_bucket.audio.arn}/${p}*"]
  }
}

resource "aws_iam_policy" "job" {
  name        = "${var.bucket}-audioflow-job"
  description = "audioflow job: read ${var.input_prefix}, read/write ${join(", ", local.written_prefixes)} in ${var.bucket}"
  policy      = data.aws_iam_policy_document.job.json
  tags        = var.tags
}

data "aws_iam_policy_document" "irsa" {
  count = var.irsa == null ? 0 : 1
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.irsa.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.irsa.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.irsa.namespace}:${var.irsa.service_account}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.irsa.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "job" {
  count              = var.irsa == null ? 0 : 1
  name               = "${var.bucket}-audioflow-job"
  assume_role_policy = data.aws_iam_policy_document.irsa[0].json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "job" {
  count      = var.irsa == null ? 0 : 1
  role       = aws_iam_role.job[0].name
  policy_arn = aws_iam_policy.job.arn
}
