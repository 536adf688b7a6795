variable "name" {
  description = "Name of the FlinkDeployment; also prefixes the Kubernetes objects and the REST service (<name>-rest)."
  type        = string
  default     = "audioflow"
}

variable "namespace" {
  description = "Kubernetes namespace the job runs in; created by the module when create_namespace is true."
  type        = string
  default     = "audioflow"
}

variable "create_namespace" {
  description = "Create the namespace (false: it exists already)."
  type        = bool
  default     = true
}

variable "operator_namespace" {
  description = "Namespace of the Flink Kubernetes Operator's Helm release."
  type        = string
  default     = "flink-operator"
}

variable "install_operator" {
  description = "Install the Flink Kubernetes Operator 1.10.0 (false: one is already installed and watches namespace)."
  type        = bool
  default     = true
}

variable "service_account_annotations" {
  description = "Annotations of the job's service account (the chart's jobServiceAccount \"flink\"), e.g. the IRSA role: { \"eks.amazonaws.com/role-arn\" = \"arn:aws:iam::...\" }."
  type        = map(string)
  default     = {}
}

variable "image" {
  description = "The audioflow job image (docker/Dockerfile or docker/Dockerfile.gpu), e.g. registry.example.com/audioflow:0.1.0."
  type        = string
}

variable "image_pull_policy" {
  description = "Kubernetes image pull policy for the JobManager and TaskManager pods."
  type        = string
  default     = "IfNotPresent"
}

variable "input" {
  description = "The job's --input: a glob over any Beam filesystem, e.g. s3://my-bucket/audio/**."
  type        = string
}

variable "output" {
  description = "The job's --output: the tables' directory, with a trailing slash, e.g. s3://my-bucket/features/."
  type        = string
}

variable "job_options" {
  description = "Further job options, one --name=value per element, e.g. [\"--features=mel,loudness\", \"--separate\"]. Never put credentials here: they would be stored in the state and the FlinkDeployment."
  type        = list(string)
  default     = []
}

variable "taskmanagers" {
  description = "Number of TaskManager pods."
  type        = number
  default     = 2
}

variable "task_slots" {
  description = "Task slots per TaskManager (one analysis thread each); about one per CPU core."
  type        = number
  default     = 2
}

variable "parallelism" {
  description = "The job's parallelism; 0 means taskmanagers x task_slots."
  type        = number
  default     = 0
}

variable "taskmanager_cpu" {
  description = "CPU cores requested per TaskManager pod."
  type        = number
  default     = 2
}

variable "taskmanager_memory" {
  description = "Memory per TaskManager pod (Flink's taskmanager.memory.process.size), e.g. 4g; about 1 GB of task heap per 2 slots, more with --models or --separate."
  type        = string
  default     = "4g"
}

variable "jobmanager_cpu" {
  description = "CPU cores requested by the JobManager pod."
  type        = number
  default     = 1
}

variable "jobmanager_memory" {
  description = "Memory of the JobManager pod (Flink's jobmanager.memory.process.size)."
  type        = string
  default     = "2g"
}

variable "gpu" {
  description = "Schedule the TaskManagers on GPU nodes (for --separate or --models with --inferenceDevice=cuda and the GPU image): a GPU per TaskManager, the node selector and tolerations below."
  type        = bool
  default     = false
}

variable "gpu_node_selector" {
  description = "Node labels of the GPU nodes, used when gpu is true."
  type        = map(string)
  default     = { "nvidia.com/gpu.present" = "true" }
}

variable "gpu_tolerations" {
  description = "Tolerations for the GPU nodes' taints, used when gpu is true."
  type = list(object({
    key      = string
    operator = string
    value    = optional(string)
    effect   = string
  }))
  default = [{ key = "nvidia.com/gpu", operator = "Exists", value = null, effect = "NoSchedule" }]
}

variable "s3_endpoint" {
  description = "S3 API server for a store other than AWS (MinIO, Ceph RGW, R2...), passed as --endpoint with --s3PathStyleAccess=true; null for AWS S3."
  type        = string
  default     = null
}

variable "aws_region" {
  description = "The bucket's region, passed as --awsRegion (null: the SDK's region chain in the pods)."
  type        = string
  default     = null
}

variable "s3_credentials_secret_name" {
  description = "Name of an existing Kubernetes Secret in namespace holding AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, given to the pods as environment (the AWS SDK's default chain); null with IRSA or an instance profile. The keys never pass through Terraform."
  type        = string
  default     = null
}

variable "flink_configuration" {
  description = "Extra Flink configuration (key to value), merged over the module's (slots, restart strategy, Prometheus reporter)."
  type        = map(string)
  default     = {}
}
