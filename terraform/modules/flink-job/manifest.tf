# The FlinkDeployment, computed from the variables alone (no provider, no resource): DeploymentManifestTest renders
# this file with `terraform console` where terraform is installed.
locals {
  # The operator release the FlinkDeployment is written for (its CRD classes are what DeploymentManifestTest reads
  # the rendered manifest with); chart and operator image pinned to the same version.
  operator_version = "1.10.0"
  job_account      = "flink" # the chart's jobServiceAccount, with the RBAC the JobManager needs

  parallelism = var.parallelism > 0 ? var.parallelism : var.taskmanagers * var.task_slots

  s3_options = concat(
    var.s3_endpoint == null ? [] : ["--endpoint=${var.s3_endpoint}", "--s3PathStyleAccess=true"],
    var.aws_region == null ? [] : ["--awsRegion=${var.aws_region}"],
  )
  job_args = concat(
    ["--runner=FlinkRunner", "--input=${var.input}", "--output=${var.output}", "--parallelism=${local.parallelism}"],
    local.s3_options,
    var.job_options,
  )

  flink_configuration = merge(
    {
      "taskmanager.numberOfTaskSlots"         = tostring(var.task_slots)
      "restart-strategy.type"                 = "fixed-delay"
      "restart-strategy.fixed-delay.attempts" = "3"
      "restart-strategy.fixed-delay.delay"    = "10 s"
      "metrics.reporter.prom.factory.class"   = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"
      "metrics.reporter.prom.port"            = "9249"
    },
    var.flink_configuration,
  )

  # The main container's additions, shared by the JobManager and TaskManager pods: credentials from an existing
  # Secret (never through Terraform) and the Prometheus port for scraping.
  credentials_env = var.s3_credentials_secret_name == null ? [] : [{ secretRef = { name = var.s3_credentials_secret_name } }]
  main_container = {
    name    = "flink-main-container" # the name the operator merges pod templates by
    envFrom = local.credentials_env
    ports   = [{ name = "metrics", containerPort = 9249 }]
  }
  pod_template = {
    metadata = { annotations = { "prometheus.io/scrape" = "true", "prometheus.io/port" = "9249" } }
    spec     = { containers = [local.main_container] }
  }
  # JSON already: the two templates are objects of different types, which a conditional cannot return.
  taskmanager_pod_template_json = var.gpu ? jsonencode({
    metadata = local.pod_template.metadata
    spec = {
      nodeSelector = var.gpu_node_selector
      tolerations  = [for t in var.gpu_tolerations : { for k, v in t : k => v if v != null }]
      containers   = [merge(local.main_container, { resources = { limits = { "nvidia.com/gpu" = "1" } } })]
    }
  }) : jsonencode(local.pod_template)

  # Every value JSON-encoded: JSON is YAML, so the template needs no quoting rules of its own.
  flink_deployment = yamldecode(templatefile("${path.module}/flinkdeployment.yaml.tftpl", {
    name                     = jsonencode(var.name)
    namespace                = jsonencode(var.namespace)
    image                    = jsonencode(var.image)
    image_pull_policy        = jsonencode(var.image_pull_policy)
    service_account          = jsonencode(local.job_account)
    flink_configuration      = jsonencode(local.flink_configuration)
    jobmanager_cpu           = jsonencode(var.jobmanager_cpu)
    jobmanager_memory        = jsonencode(var.jobmanager_memory)
    jobmanager_pod_template  = jsonencode(local.pod_template)
    taskmanagers             = jsonencode(var.taskmanagers)
    taskmanager_cpu          = jsonencode(var.taskmanager_cpu)
    taskmanager_memory       = jsonencode(var.taskmanager_memory)
    taskmanager_pod_template = local.taskmanager_pod_template_json
    job_args                 = jsonencode(local.job_args)
    parallelism              = jsonencode(local.parallelism)
  }))
}
