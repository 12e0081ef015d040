namespace LbOperator.LoadBalancing;

/// <summary>
/// The reasons of the Events and conditions the operator writes. They are stable: users and alerts match on them
/// (docs/operator.md says what each means and what to do).
/// </summary>
public static class EventReasons
{
    // Services, normal.
    public const string AddressAllocated = "AddressAllocated";
    public const string GatewayReady = "GatewayReady";
    public const string GatewayPending = "GatewayPending";
    public const string AddressReleased = "AddressReleased";
    public const string KubeOvnGatewayReplaced = "KubeOvnGatewayReplaced";

    // Services, failures.
    public const string InvalidAnnotation = "InvalidAnnotation";
    public const string NetworkAttachmentNotFound = "NetworkAttachmentNotFound";
    public const string SubnetNotFound = "SubnetNotFound";
    public const string SubnetInvalid = "SubnetInvalid";
    public const string SubnetTerminating = "SubnetTerminating";
    public const string KubeOvnLbSvcEnabled = "KubeOvnLbSvcEnabled";
    public const string InvalidAddressRequest = "InvalidAddressRequest";
    public const string AddressOutOfRange = "AddressOutOfRange";
    public const string AddressConflict = "AddressConflict";
    public const string SubnetExhausted = "SubnetExhausted";
    public const string UnsupportedProtocol = "UnsupportedProtocol";
    public const string InvalidServiceSpec = "InvalidServiceSpec";
    public const string GatewayNameTaken = "GatewayNameTaken";
    public const string SubnetNotAllowed = "SubnetNotAllowed";
    public const string GatewayWriteFailed = "GatewayWriteFailed";
    public const string GatewayTooLarge = "GatewayTooLarge";
    public const string GatewayNotProgressing = "GatewayNotProgressing";
    public const string RecordWriteFailed = "RecordWriteFailed";
    public const string AddressNotReserved = "AddressNotReserved";
    public const string KubeOvnTakeoverRefused = "KubeOvnTakeoverRefused";
    public const string GatewayRouterIdsExhausted = "GatewayRouterIdsExhausted";

    // A highly available gateway runs fewer ready pods than asked: still serving, with less to fall back on.
    public const string GatewayStandbyLost = "GatewayStandbyLost";

    // Services served other than asked (Warnings; the condition stays True).
    public const string ExternalTrafficPolicyNotHonoured = "ExternalTrafficPolicyNotHonoured";
    public const string DualStackNotHonoured = "DualStackNotHonoured";
    public const string SessionAffinityNotHonoured = "SessionAffinityNotHonoured";

    // Allocation records (IpAllocation objects): a record refused after a restart (Service Event, Subnet condition
    // RecordsAdopted=False and Event), the upgrade from the annotation record, a holding of a Service that is gone.
    public const string RecordRefused = "RecordRefused";
    public const string RecordsAdopted = "RecordsAdopted";
    public const string RecordMigrated = "RecordMigrated";
    public const string OrphanReleased = "OrphanReleased";

    // Subnets.
    public const string SubnetReady = "SubnetReady";
    public const string SubnetValid = "Valid";
    public const string ValidationFailed = "ValidationFailed";
    public const string CidrChangeRefused = "CidrChangeRefused";
    public const string HeldAddressExcluded = "HeldAddressExcluded";
    public const string SubnetInUse = "SubnetInUse";
    public const string CidrOverlap = "CidrOverlap";
    public const string NoError = "NoError";
}
