namespace LbOperator.Framework.Rbac;

/// <summary>
/// Base of the attributes that declare what the operator may do in the cluster. They sit on the classes that need
/// the access (controllers, finalizers, any non-abstract class); <c>LbOperator generate</c> turns them into the
/// operator's ClusterRole.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public abstract class RbacAttribute : Attribute;
