resource "kubernetes_namespace" "job" {
  count = var.create_namespace ? 1 : 0
  metadata {
    name = var.namespace
  }
}

# The Apache Flink Kubernetes Operator: watches only the job's namespace, creates the job's service account there
# (annotated, e.g. for IRSA). The validating webhook is off: it would need cert-manager in the cluster.
resource "helm_release" "flink_operator" {
  count            = var.install_operator ? 1 : 0
  name             = "flink-kubernetes-operator"
  repository       = "https://archive.apache.org/dist/flink/flink-kubernetes-operator-1.10.0/"
  chart            = "flink-kubernetes-operator"
  version          = "1.10.0"
  namespace        = var.operator_namespace
  create_namespace = true

  values = [yamlencode({
    image             = { tag = local.operator_version }
    watchNamespaces   = [var.namespace]
    webhook           = { create = false }
    jobServiceAccount = { create = true, name = local.job_account, annotations = var.service_account_annotations }
  })]

  depends_on = [kubernetes_namespace.job]
}

# The job in application mode: the operator starts a JobManager that runs the jar's main class, and the TaskManagers.
# kubernetes_manifest needs the FlinkDeployment CRD at plan time: on a new cluster apply the operator first
# (terraform apply -target=module.<name>.helm_release.flink_operator), then everything.
resource "kubernetes_manifest" "flink_deployment" {
  manifest = local.flink_deployment

  depends_on = [helm_release.flink_operator]
}
