data "aws_availability_zones" "available" {
  state = "available"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.13.0"

  name            = var.name
  cidr            = "10.42.0.0/16"
  azs             = slice(data.aws_availability_zones.available.names, 0, 2)
  private_subnets = ["10.42.1.0/24", "10.42.2.0/24"]
  public_subnets  = ["10.42.101.0/24", "10.42.102.0/24"]

  enable_nat_gateway = true
  single_nat_gateway = true

  private_subnet_tags = { "kubernetes.io/role/internal-elb" = "1" }
  public_subnet_tags  = { "kubernetes.io/role/elb" = "1" }
}

# Traffic to S3 stays inside the VPC (no NAT data charges for the audio).
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = module.vpc.vpc_id
  service_name    = "com.amazonaws.${var.region}.s3"
  route_table_ids = module.vpc.private_route_table_ids
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "20.24.0"

  cluster_name                             = var.name
  cluster_version                          = "1.30"
  vpc_id                                   = module.vpc.vpc_id
  subnet_ids                               = module.vpc.private_subnets
  cluster_endpoint_public_access           = true
  enable_cluster_creator_admin_permissions = true
  enable_irsa                              = true

  eks_managed_node_groups = merge(
    {
      cpu = {
        instance_types = [var.node_instance_type]
        min_size       = var.nodes
        max_size       = var.nodes
        desired_size   = var.nodes
      }
    },
    var.gpu ? {
      gpu = {
        ami_type       = "AL2_x86_64_GPU"
        instance_types = ["g5.xlarge"]
        min_size       = var.gpu_nodes
        max_size       = var.gpu_nodes
        desired_size   = var.gpu_nodes
        labels         = { "nvidia.com/gpu.present" = "true" }
        taints         = { gpu = { key = "nvidia.com/gpu", value = "true", effect = "NO_SCHEDULE" } }
      }
    } : {},
  )
}

module "bucket" {
  source = "../../modules/s3-bucket"

  bucket = var.bucket
  irsa = {
    oidc_provider_arn = module.eks.oidc_provider_arn
    oidc_issuer       = module.eks.oidc_provider
    namespace         = "audioflow"
    service_account   = "flink"
  }
}

module "flink" {
  source = "../../modules/flink-job"

  name      = var.name
  namespace = "audioflow"
  image     = var.image
  input     = module.bucket.input
  output    = module.bucket.output

  aws_region                  = var.region
  service_account_annotations = { "eks.amazonaws.com/role-arn" = module.bucket.role_arn }

  taskmanagers       = var.taskmanagers
  task_slots         = var.task_slots
  taskmanager_cpu    = var.taskmanager_cpu
  taskmanager_memory = var.taskmanager_memory
  job_options        = var.job_options
  gpu                = var.gpu

  depends_on = [module.eks]
}
