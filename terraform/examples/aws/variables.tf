variable "region" {
  description = "AWS region of the cluster and the bucket."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Name of the EKS cluster, the VPC and the FlinkDeployment."
  type        = string
  default     = "audioflow"
}

variable "bucket" {
  description = "Name of the S3 bucket to create (globally unique)."
  type        = string
}

variable "image" {
  description = "The audioflow job image in a registry the nodes can pull from (ECR), built from docker/Dockerfile."
  type        = string
}

variable "node_instance_type" {
  description = "EC2 instance type of the CPU node group (TaskManagers run here unless gpu is true)."
  type        = string
  default     = "c6i.2xlarge"
}

variable "nodes" {
  description = "Number of CPU nodes."
  type        = number
  default     = 3
}

variable "taskmanagers" {
  description = "Number of TaskManager pods."
  type        = number
  default     = 4
}

variable "task_slots" {
  description = "Task slots per TaskManager."
  type        = number
  default     = 4
}

variable "taskmanager_cpu" {
  description = "CPU cores per TaskManager pod (leave room for the node's system pods)."
  type        = number
  default     = 3.5
}

variable "taskmanager_memory" {
  description = "Memory per TaskManager pod."
  type        = string
  default     = "8g"
}

variable "job_options" {
  description = "Further job options, e.g. [\"--features=mel,loudness\"] (no credentials: IRSA provides them)."
  type        = list(string)
  default     = []
}

variable "gpu" {
  description = "Add a GPU node group (g5.xlarge, tainted nvidia.com/gpu) and run the TaskManagers there, for --separate with --inferenceDevice=cuda and the GPU image (docker/Dockerfile.gpu). The EKS GPU AMI brings the NVIDIA driver; the NVIDIA device plugin must run in the cluster."
  type        = bool
  default     = false
}

variable "gpu_nodes" {
  description = "Number of GPU nodes when gpu is true."
  type        = number
  default     = 1
}
