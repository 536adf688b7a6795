# Any Kubernetes cluster and any S3 API store: the bucket exists, the namespace and the credentials Secret too
# (kubectl create secret generic audioflow-s3 -n audioflow --from-literal=AWS_ACCESS_KEY_ID=... --from-literal=
# AWS_SECRET_ACCESS_KEY=...), so no key passes through Terraform's variables or state.
module "flink" {
  source = "../../modules/flink-job"

  namespace        = var.namespace
  create_namespace = false
  image            = var.image
  input            = "s3://${var.bucket}/${var.input_prefix}**"
  output           = "s3://${var.bucket}/${var.output_prefix}"

  s3_endpoint                = var.s3_endpoint
  aws_region                 = "us-east-1" # the SDK needs a region; S3 API servers other than AWS accept any
  s3_credentials_secret_name = var.s3_credentials_secret_name

  taskmanagers       = var.taskmanagers
  task_slots         = var.task_slots
  taskmanager_memory = var.taskmanager_memory
  job_options        = var.job_options
}

locals {
  # The same least privilege as modules/s3-bucket, in the S3 policy language MinIO and Ceph RGW read.
  bucket_arn = "arn:aws:s3:::${var.bucket}"
  bucket_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = [local.bucket_arn]
        Condition = { StringLike = { "s3:prefix" = ["${var.input_prefix}*", "${var.output_prefix}*"] } }
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["${local.bucket_arn}/${var.input_prefix}*"]
      },
      {
        Effect = "Allow"
        Action = [
          "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts",
        ]
        Resource = ["${local.bucket_arn}/${var.output_prefix}*"]
      },
    ]
  }
}
