variable "kubeconfig" {
  description = "Path of the kubeconfig file of the target cluster."
  type        = string
  default     = "~/.kube/config"
}

variable "kube_context" {
  description = "kubeconfig context of the target cluster (null: the file's current context)."
  type        = string
  default     = null
}

variable "namespace" {
  description = "Namespace the job runs in; it must exist and hold the credentials Secret (see s3_credentials_secret_name)."
  type        = string
  default     = "audioflow"
}

variable "image" {
  description = "The audioflow job image, built from docker/Dockerfile and pushed where the cluster can pull it."
  type        = string
}

variable "s3_endpoint" {
  description = "URL of the S3 API server (MinIO, Ceph RGW, Cloudflare R2, ...), e.g. https://minio.example.com:9000."
  type        = string
}

variable "bucket" {
  description = "Name of the existing bucket on that server."
  type        = string
}

variable "input_prefix" {
  description = "Key prefix of the audio, with a trailing slash."
  type        = string
  default     = "audio/"
}

variable "output_prefix" {
  description = "Key prefix of the tables, with a trailing slash."
  type        = string
  default     = "features/"
}

variable "s3_credentials_secret_name" {
  description = "Name of the Kubernetes Secret (in namespace) with the keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY of an account limited by the bucket_policy output; created with kubectl, never through Terraform."
  type        = string
  default     = "audioflow-s3"
}

variable "taskmanagers" {
  description = "Number of TaskManager pods."
  type        = number
  default     = 2
}

variable "task_slots" {
  description = "Task slots per TaskManager."
  type        = number
  default     = 2
}

variable "taskmanager_memory" {
  description = "Memory per TaskManager pod."
  type        = string
  default     = "4g"
}

variable "job_options" {
  description = "Further job options (no credentials)."
  type        = list(string)
  default     = []
}
