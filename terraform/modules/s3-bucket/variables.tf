variable "bucket" {
  description = "Name of the S3 bucket to create for the audio and the tables."
  type        = string
}

variable "input_prefix" {
  description = "Key prefix of the input audio (the job only lists and reads below it), with a trailing slash."
  type        = string
  default     = "audio/"
}

variable "output_prefix" {
  description = "Key prefix of the output tables (the job reads, writes and deletes below it: resume reads, Beam's temporary files, --overwrite), with a trailing slash."
  type        = string
  default     = "features/"
}

variable "stems_prefix" {
  description = "Key prefix of the separated stems (--stemsOutput), with a trailing slash; null when stems go below output_prefix (the default stem_files/)."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Let terraform destroy delete a bucket that still holds objects."
  type        = bool
  default     = false
}

variable "irsa" {
  description = "IAM role for a Kubernetes service account (EKS IRSA): the cluster's OIDC provider ARN and issuer host (without https://), and the service account the job runs as; null: no role, attach policy_arn yourself."
  type = object({
    oidc_provider_arn = string
    oidc_issuer       = string
    namespace         = string
    service_account   = string
  })
  default = null
}

variable "tags" {
  description = "Tags for the bucket, the policy and the role."
  type        = map(string)
  default     = {}
}
